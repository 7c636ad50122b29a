// The authority's story: rita.authority opens /authority, signs in on Keycloak's page, sees the
// cross-site retrievals counted (charts drawn from the bundled chart.js, days in the page's words), reviews the emergency access
// a clinician opened (keyboard only), downloads the retrievals CSV (the Java test compares it with the
// API) and checks it against the table on the page; then the same page in English. Screenshots and
// axe-core in both languages.
// Input (PONTE_SPEC_INPUT): { username, reason, csvFile }
'use strict';
const fs = require('fs');
const { launch, signInAtKeycloak, screenshot, checkAccessibility, check, run, hubUrl, input } = require('../lib/ponte');
const { AuthorityDashboard } = require('../pages/authority');

run('authority-dashboard', async () => {
  const given = input();
  const { browser, context, failures } = await launch({ locale: 'pt-PT' });
  try {
    const page = await context.newPage();
    await page.goto(`${hubUrl()}/authority`);
    await signInAtKeycloak(page, given.username);
    let dashboard = new AuthorityDashboard(page, 'pt');
    await dashboard.expectDashboard();
    check((await dashboard.chartsState()) === 'drawn', 'charts drawn by the bundled chart.js');
    check((await page.locator('canvas[data-table]').count()) > 0, 'at least one chart');

    const rows = await dashboard.tableRows(dashboard.words.retrievals);
    const total = rows.reduce((sum, r) => sum + Number(r[r.length - 1]), 0);
    check(total > 0, `cross-site retrievals counted: ${JSON.stringify(rows)}`);
    // the time axis names the days in the page's language, not as ISO dates
    const days = await dashboard.chartLabels('cross-site-retrievals');
    check(days.length > 0 && days.every((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d)), `chart days in words: ${JSON.stringify(days)}`);
    await screenshot(page, 'authority-dashboard-pt');
    await checkAccessibility(page, 'authority-dashboard-pt');

    await dashboard.reviewWithKeyboard(given.reason, 'Justificado: doente inconsciente.');
    // the page it returns to fetches its figures again: let that finish before leaving the page
    check((await dashboard.chartsState()) === 'drawn', 'charts drawn after the review');
    const pending = await page.getByRole('table', { name: dashboard.words.emergency, exact: true }).count() === 0
      ? '' : await page.getByRole('table', { name: dashboard.words.emergency, exact: true }).innerText();
    check(!pending.includes(given.reason), 'the reviewed access is no longer pending');
    await screenshot(page, 'authority-reviewed-pt');

    await dashboard.downloadCsv(dashboard.words.retrievals, given.csvFile);
    const csv = fs.readFileSync(given.csvFile, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
    const shown = await dashboard.tableRows(dashboard.words.retrievals);
    check(JSON.stringify(csv) === JSON.stringify(shown), `CSV ${JSON.stringify(csv)} matches the page ${JSON.stringify(shown)}`);

    dashboard = await dashboard.switchTo('en');
    await dashboard.expectDashboard();
    check((await dashboard.chartsState()) === 'drawn', 'charts drawn in English too');
    const enDays = await dashboard.chartLabels('cross-site-retrievals');
    check(enDays.every((d) => /^\d{1,2} [A-Z][a-z]+ \d{4}$/.test(d)), `chart days in English: ${JSON.stringify(enDays)}`);
    await screenshot(page, 'authority-dashboard-en');
    await checkAccessibility(page, 'authority-dashboard-en');

    check(failures.length === 0, `no failed request in the browser: ${failures.join('; ')}`);
  } finally {
    await browser.close();
  }
});
