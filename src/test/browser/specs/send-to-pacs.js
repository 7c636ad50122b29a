// "Send to my PACS" from the clinician workspace: ana.clinic finds the patient by the hospital's
// identifier, opens the timeline, follows the prior's "Send to my PACS" button to the confirmation
// naming her clinic's PACS, presses the button and watches the progress page (it polls the job)
// until the study is in her PACS. Portuguese, then English; axe after each state.
// Input (PONTE_SPEC_INPUT): { username, identifier, site, images }
'use strict';
const { launch, signInAtKeycloak, switchToEnglish, screenshot, checkAccessibility, check, run, hubUrl, input } = require('../lib/ponte');
const { ClinicianPages } = require('../pages/clinician');
const { EmergencyAccessPages } = require('../pages/emergency-access');
const { SendToPacsPages } = require('../pages/send-to-pacs');

run('send-to-pacs', async () => {
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
      const search = new EmergencyAccessPages(page, lang); // its identifier search
      const send = new SendToPacsPages(page, lang);
      await workspace.expectSearchPage();
      await search.searchByIdentifier(given.identifier, given.site);
      await workspace.openFirstPerson();
      await screenshot(page, `send-timeline-${lang}`);
      await checkAccessibility(page, `send-timeline-${lang}`);

      await send.openFromTimeline();
      await screenshot(page, `send-confirm-${lang}`);
      await checkAccessibility(page, `send-confirm-${lang}`);

      check(await send.confirm() === 303, `${lang}: the send was accepted and redirected`);
      const [done, total] = await send.awaitCompleted();
      check(total === given.images, `${lang}: ${done} of ${total} images, expected ${given.images}`);
      await screenshot(page, `send-completed-${lang}`);
      await checkAccessibility(page, `send-completed-${lang}`);
    }
    const unexpected = failures.filter((f) => !/\/thumbnail(:|\s|$)/.test(f));
    check(unexpected.length === 0, `no failed request in the browser: ${unexpected.join('; ')}`);
  } finally {
    await browser.close();
  }
});
