// Benchmark (prints figures; started by io.ponte.hub.web.SearchToFirstImageBench, not by a test): a clinic
// clinician's search to the first image of the newest prior, for each patient: the identifier typed into
// the workspace's search and submitted, the person's timeline, "open in viewer" on the newest study, until
// OHIF's viewport holds its first image. Pass "cold": a fresh browser profile, studies never read since they
// were stored; pass "cached": the same patients again in the same browser. Sign-in (workspace and OHIF) is
// done once before, not timed. The first and last image of each pass are also checked painted on screen.
// Input (PONTE_SPEC_INPUT): { username, patients: [{ identifier, site, uid }] }
'use strict';
const { launch, signInAtKeycloak, screenshot, check, run, hubUrl, input } = require('../lib/ponte');
const { waitForImageData, waitForPaintedImage } = require('../pages/viewer');

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// Where the time went, per step, summed over a pass (for the report, not the figure).
const steps = {};
function step(name, since) {
  const now = Date.now();
  steps[name] = (steps[name] || 0) + (now - since);
  return now;
}

async function searchToFirstImage(page, patient) {
  const started = Date.now();
  let t = started;
  await page.goto(`${hubUrl()}/`);
  const form = page.locator('form[aria-labelledby="by-identifier"]');
  await form.locator('#identifier').fill(patient.identifier);
  await form.locator('#site').selectOption(patient.site);
  await form.locator('#identifier').press('Enter');
  await page.waitForURL((url) => url.searchParams.get('identifier') === patient.identifier);
  t = step('search', t);
  const person = page.getByRole('table').locator('tbody a').first();
  await person.click();
  await page.waitForURL((url) => url.pathname.startsWith('/clinician/patients/'));
  t = step('timeline', t);
  await page.locator(`a[href*="StudyInstanceUIDs=${patient.uid}"]`).first().click();
  await page.waitForURL((url) => url.searchParams.get('StudyInstanceUIDs') === patient.uid, { timeout: 60000 });
  await page.waitForFunction(() => window.cornerstone, null, { polling: 20, timeout: 60000 });
  t = step('viewer started', t);
  await waitForImageData(page);
  step('first image', t);
  return Date.now() - started;
}

run('bench-search-to-first-image', async () => {
  const given = input();
  const { browser, context, failures } = await launch({ locale: 'en-GB' });
  context.on('response', (response) => {
    if (response.url().startsWith(hubUrl()) && response.status() >= 400) {
      failures.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    }
  });
  try {
    const page = await context.newPage();
    await page.goto(`${hubUrl()}/`);
    await signInAtKeycloak(page, given.username);
    await page.goto(`${hubUrl()}/viewer/`);
    if (await page.locator('#kc-form-login').isVisible().catch(() => false)) await signInAtKeycloak(page, given.username);
    await page.waitForURL((url) => url.pathname.startsWith('/viewer'), { timeout: 60000 });
    const targets = { cold: 2000, cached: 1000 };
    for (const pass of ['cold', 'cached']) {
      const times = [];
      for (const [i, patient] of given.patients.entries()) {
        times.push(await searchToFirstImage(page, patient));
        if (i === 0 || i === given.patients.length - 1) {
          const levels = await waitForPaintedImage(page);
          if (i === 0) await screenshot(page, `bench-first-image-${pass}`);
          console.log(`${pass} ${patient.identifier}: ${times[times.length - 1]} ms, painted (${levels} grey levels)`);
        }
      }
      const per = Object.entries(steps).map(([k, v]) => `${k} ${Math.round(v / times.length)} ms`);
      console.log(`${pass}: mean per step: ${per.join(', ')}`);
      for (const k of Object.keys(steps)) delete steps[k];
      const sorted = [...times].sort((a, b) => a - b);
      const p95 = percentile(sorted, 95);
      console.log(
        `search to first image, ${pass}: n=${times.length} p50=${percentile(sorted, 50)} ms` +
          ` p95=${p95} ms max=${sorted[sorted.length - 1]} ms` +
          ` (target p95 < ${targets[pass]} ms: ${p95 < targets[pass] ? 'met' : 'NOT met'})`,
      );
    }
    const failed = failures.filter((f) => !f.endsWith(': net::ERR_ABORTED'));
    check(failed.length === 0, `failed requests:\n  ${failed.join('\n  ')}`);
  } finally {
    await browser.close();
  }
});
