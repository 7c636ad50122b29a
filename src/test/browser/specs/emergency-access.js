// Emergency access from the clinician workspace: the patient denied ana.clinic's clinic, so her
// search by the hospital's identifier finds no one but says that consent withheld a record; she
// opens emergency access, is refused without a reason and for 48 hours (the service's rules, 400),
// then types the reason with the keyboard and keeps the 4 hours offered; the timeline shows the
// patient's study under a banner "emergency access until HH:MM", which she ends early. Portuguese,
// then English. axe after each state.
// Input (PONTE_SPEC_INPUT): { username, identifier, site, reason, description }
'use strict';
const { launch, signInAtKeycloak, switchToEnglish, screenshot, checkAccessibility, checkFormControls, check, checkText, run, hubUrl, input } = require('../lib/ponte');
const { ClinicianPages } = require('../pages/clinician');
const { EmergencyAccessPages } = require('../pages/emergency-access');

run('emergency-access', async () => {
  const given = input();
  const { browser, context, failures } = await launch({ locale: 'pt-PT' });
  try {
    const page = await context.newPage();
    await page.goto(`${hubUrl()}/`);
    await signInAtKeycloak(page, given.username);

    for (const lang of ['pt', 'en']) {
      if (lang === 'en') {
        await switchToEnglish(page);
      }
      const workspace = new ClinicianPages(page, lang);
      const emergency = new EmergencyAccessPages(page, lang);
      await workspace.expectSearchPage();
      await emergency.searchByIdentifier(given.identifier, given.site);
      await checkText(emergency.withheldNotice(), emergency.words.withheld, 'withheld notice');
      check(await workspace.personLinks().count() === 0, `${lang}: the patient is not listed`);
      await screenshot(page, `emergency-withheld-${lang}`);
      await checkAccessibility(page, `emergency-withheld-${lang}`);

      await emergency.openForm();
      await screenshot(page, `emergency-form-${lang}`);
      await checkAccessibility(page, `emergency-form-${lang}`);
      await checkFormControls(page, `emergency-form-${lang}`);

      if (lang === 'pt') {
        // The server's rules, not only the browser's: no reason (required lifted), then 48 hours.
        await emergency.reason().evaluate((el) => el.removeAttribute('required'));
        check(await emergency.submit() === 400, 'no reason: 400');
        await emergency.expectRefused('indique o motivo'); // the page's words, not the API's English
        await emergency.reason().focus();
        await page.keyboard.type(given.reason);
        await page.locator('#hours').evaluate((el) => { el.add(new Option('48 h', '48')); el.value = '48'; });
        check(await emergency.submit() === 400, '48 hours: 400');
        await emergency.expectRefused('escolha 1, 4, 8 ou 24 horas'); // not "at most PT24H"
        check(await emergency.reason().inputValue() === given.reason, 'the reason is kept on the refused form');
        await screenshot(page, 'emergency-refused-pt');
        await checkAccessibility(page, 'emergency-refused-pt');
        await page.locator('#hours').selectOption('4');
      } else {
        await emergency.reason().focus();
        await page.keyboard.type(given.reason);
      }
      check(await emergency.submit() === 303, `${lang}: granted and redirected`);
      await page.waitForURL((url) => url.pathname.startsWith('/clinician/patients/'));
      const text = JSON.stringify(await workspace.priorRows());
      check(text.includes(given.description), `${lang}: the study is listed under emergency access: ${text}`);
      const banner = await emergency.banner().innerText();
      check(banner.includes(emergency.words.until) && /\b\d\d:\d\d\b/.test(banner), `${lang}: banner "${banner}"`);
      await screenshot(page, `emergency-timeline-${lang}`);
      await checkAccessibility(page, `emergency-timeline-${lang}`);

      await emergency.endEarly();
    }

    // No node runs in this profile: the thumbnail is the placeholder for an unreachable site.
    const unexpected = failures.filter((f) => !/\/clinician\/studies\/[0-9.]+\/thumbnail(:|\s|$)/.test(f));
    check(unexpected.length === 0, `no failed request in the browser: ${unexpected.join('; ')}`);
  } finally {
    await browser.close();
  }
});
