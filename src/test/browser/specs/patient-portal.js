// The patient's story: maria.patient opens the portal, signs in on Keycloak's (Portuguese) page,
// sees her studies from both hospitals, her sharing choices and who accessed her records, then
// switches to English and sees the same. Every page is screenshotted and checked with axe-core, desktop
// and phone.
// Input (PONTE_SPEC_INPUT): { username, descriptions: [..], sites: [..], accessedBy }
'use strict';
const { launch, signInAtKeycloak, screenshot, checkAccessibility, checkFocusVisibleOnPage, check, checkText, run, hubUrl, input } = require('../lib/ponte');
const { PortalPages } = require('../pages/portal');

run('patient-portal', async () => {
  const given = input();
  const { browser, context, failures } = await launch({ locale: 'pt-PT' });
  try {
    const page = await context.newPage();
    await page.goto(`${hubUrl()}/portal`);
    // Keycloak's own page, in the portal's language (ui_locales=pt)
    const kcLang = await page.locator('html').getAttribute('lang');
    check(kcLang === 'pt', `Keycloak login page language: ${kcLang}`);
    await screenshot(page, 'portal-sign-in-pt');
    await signInAtKeycloak(page, given.username);

    let portal = new PortalPages(page, 'pt');
    await portal.expectLanguage();
    for (const lang of ['pt', 'en']) {
      if (lang === 'en') portal = await portal.switchTo('en');
      await portal.expectLanguage();
      await portal.openFromMenu('studies');
      const rows = await portal.studyRows();
      const text = JSON.stringify(rows);
      for (const d of given.descriptions) check(text.includes(d), `${lang}: study "${d}" listed in ${text}`);
      for (const s of given.sites) check(text.includes(s), `${lang}: site "${s}" listed`);
      await screenshot(page, `portal-studies-${lang}`);
      await checkAccessibility(page, `portal-studies-${lang}`);

      await portal.openFromMenu('sharing');
      await portal.expectSharingPage();
      await screenshot(page, `portal-sharing-${lang}`);
      await checkAccessibility(page, `portal-sharing-${lang}`);
      // a keyboard user sees where they are on the white page: the menu's links, the form's controls
      await checkFocusVisibleOnPage(page, page.locator('nav.menu a, main input, main button'), `portal-sharing-${lang}`);

      await portal.openFromMenu('accessLog');
      await portal.expectAccessLogPage();
      const log = await portal.accessLogText();
      check(log.includes(given.accessedBy), `${lang}: access log names ${given.accessedBy}`);
      await screenshot(page, `portal-access-log-${lang}`);
      await checkAccessibility(page, `portal-access-log-${lang}`);
    }

    // Phone-sized: the same studies, one card per study.
    await page.setViewportSize({ width: 390, height: 844 });
    await portal.openFromMenu('studies');
    await screenshot(page, 'portal-studies-en-phone');
    await checkAccessibility(page, 'portal-studies-en-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);

    // A GET of the sign-out address (a link or an image on another site) does not sign out: it only
    // shows the button; the portal still opens without a sign-in.
    await page.goto(`${hubUrl()}/web/sign-out`);
    await checkText(page.getByRole('heading', { level: 1 }), 'Sign out', 'sign-out confirmation page');
    await checkAccessibility(page, 'sign-out-confirm-en');
    await page.goto(`${hubUrl()}/portal`);
    check(new URL(page.url()).pathname === '/portal', `still signed in after a GET: ${page.url()}`);
    await portal.openFromMenu('studies');

    // Sign out (the header's form, a POST with its CSRF token) ends the Keycloak session too: the
    // portal asks for a sign-in again.
    await page.locator('header').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/web/signed-out', { timeout: 30000 });
    await checkText(page.getByRole('heading', { level: 1 }), 'Signed out', 'signed-out page');
    await page.goto(`${hubUrl()}/portal`);
    await page.waitForSelector('#kc-form-login', { timeout: 30000 });

    check(failures.length === 0, `no failed request in the browser: ${failures.join('; ')}`);
  } finally {
    await browser.close();
  }
});
