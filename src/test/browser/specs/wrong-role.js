// Someone of another role at a surface that is not theirs: ana.clinic (clinician) opens the patient
// portal, signs in, and gets the friendly 403 page in her language, from which she can sign out.
// Input (PONTE_SPEC_INPUT): { username, path, heading }
'use strict';
const { launch, signInAtKeycloak, screenshot, checkAccessibility, check, checkText, run, hubUrl, input } = require('../lib/ponte');

run('wrong-role', async () => {
  const given = input();
  const { browser, context } = await launch({ locale: 'pt-PT' });
  try {
    const page = await context.newPage();
    await page.goto(`${hubUrl()}${given.path}`);
    await signInAtKeycloak(page, given.username);
    const response = await page.reload();
    check(response.status() === 403, `status of ${given.path} for ${given.username}: ${response.status()}`);
    await checkText(page.getByRole('heading', { level: 1 }), given.heading, '403 heading');
    check(await page.getByRole('button', { name: 'Terminar sessão' }).count() > 0, 'a way out: sign out');
    await screenshot(page, `wrong-role-${given.username}`);
    await checkAccessibility(page, `wrong-role-${given.username}`);
  } finally {
    await browser.close();
  }
});
