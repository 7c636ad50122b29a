// The patient changes her sharing choice: maria.patient signs in, sees that she shares with every
// hospital and clinic, denies one clinic on the sharing page with the keyboard only, and sees the
// confirmation and her new choice in words, in Portuguese and English. A period that ends before it
// starts is refused on the page. The Java test then proves through the API what the choice does.
// Input (PONTE_SPEC_INPUT): { username, deny: { name }, sites: [...] }
'use strict';
const { launch, signInAtKeycloak, screenshot, checkAccessibility, check, run, hubUrl, input } = require('../lib/ponte');
const { PortalPages } = require('../pages/portal');

run('patient-denies-a-clinic', async () => {
  const given = input();
  const { browser, context, failures } = await launch({ locale: 'pt-PT' });
  try {
    const page = await context.newPage();
    await page.goto(`${hubUrl()}/portal/sharing`);
    await signInAtKeycloak(page, given.username);

    let portal = new PortalPages(page, 'pt');
    await portal.expectSharingPage();
    const before = await portal.currentChoice();
    check(before.includes(portal.words.shareAll), `before: shares with all ("${before}")`);
    await screenshot(page, 'portal-sharing-before-pt');

    await portal.chooseAllExcept([given.deny.name]);
    check(new URL(page.url()).pathname === '/portal/sharing', `back on the sharing page: ${page.url()}`);
    await portal.expectRecorded([given.deny.name]);
    await screenshot(page, 'portal-sharing-recorded-pt');
    await checkAccessibility(page, 'portal-sharing-recorded-pt');

    portal = await portal.switchTo('en');
    await portal.expectSharingPage();
    const after = await portal.currentChoice();
    check(after.includes(portal.words.notSharedWith) && after.includes(given.deny.name), `en: "${after}"`);
    await screenshot(page, 'portal-sharing-recorded-en');

    // A period that ends before it starts: refused on the page, the choice above still holds.
    await portal.chooseAllExcept([given.deny.name], { from: '2030-05-01', until: '2030-04-01' });
    await portal.expectRefused('the period ends before it starts');
    await screenshot(page, 'portal-sharing-error-en');
    await checkAccessibility(page, 'portal-sharing-error-en');

    check(failures.length === 0, `no failed request in the browser: ${failures.join('; ')}`);
  } finally {
    await browser.close();
  }
});
