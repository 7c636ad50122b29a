// A clinician opens an archived prior from OHIF's own study list: OHIF's in-app navigation becomes a
// load the hub sees (the hub's app-config.js), which the hub sends by the clinician's restore page,
// so she sees "archived" and the restore button, not OHIF's black viewport.
// Input (PONTE_SPEC_INPUT): { username, uid, description }
'use strict';
const { launch, signInAtKeycloak, screenshot, check, run, hubUrl, input } = require('../lib/ponte');

run('ohif-archived-prior', async () => {
  const given = input();
  const { browser, context } = await launch();
  try {
    const page = await context.newPage();
    await page.goto(`${hubUrl()}/viewer/`);
    await signInAtKeycloak(page, given.username);
    await page.waitForURL((url) => url.pathname.startsWith('/viewer'), { timeout: 30000 });
    await page.getByText(given.description, { exact: true }).click();
    await page.getByRole('button', { name: 'Basic Viewer' }).click();
    // The hub's own page, by its single sign-on with Keycloak: no second login form.
    await page.waitForURL(
      (url) => url.pathname === '/clinician/restore' && url.searchParams.get('study') === given.uid,
      { timeout: 60000 },
    );
    const state = page.locator('#restore-state');
    await state.waitFor({ timeout: 30000 });
    check(
      (await state.getAttribute('data-state')) === 'ARCHIVED',
      `the restore page says archived (${await state.getAttribute('data-state')})`,
    );
    check(
      (await page.locator('form[action="/clinician/restore"] button[type="submit"]').count()) >= 1,
      'the restore page offers to start the restore',
    );
    check((await page.locator('canvas').count()) === 0, 'no viewer (and no black viewport) on the way');
    await screenshot(page, 'ohif-list-archived-prior');
  } finally {
    await browser.close();
  }
});
