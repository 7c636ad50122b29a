// Benchmark (prints figures; started by io.ponte.hub.web.SearchToFirstImageBench, not by a test): a clinic
// clinician's search to the first image of the newest prior, for each patient: the identifier typed into
// the workspace's search and submitted, the person's timeline, "open in viewer" on the newest study (the
// viewer's window: the first click opens it, the OHIF running there shows each next study), until OHIF's
// viewport holds that study's first image. Pass "cold": a fresh browser profile, studies never read since they
// were stored; pass "cached": the same patients again in the same browser. Sign-in (the hub's pages, which
// carry the viewer too) is done once before, not timed. The first and last image of each pass are also checked painted on screen.
// Input (PONTE_SPEC_INPUT): { username, readMillis, patients: [{ identifier, site, uid }] }
'use strict';
const { launch, signInAtKeycloak, screenshot, check, run, hubUrl, input } = require('../lib/ponte');
const { openInViewerWindow, waitForImageData, waitForPaintedImage } = require('../pages/viewer');

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// Where the time went, per step, summed over a pass (for the report, not the figure).
const steps = {};
function step(name, since, now = Date.now()) {
  steps[name] = (steps[name] || 0) + (now - since);
  return now;
}

// The hub's requests of the viewer's part, by kind: what OHIF waits for between its start and the first
// image (for the report, not the figure).
const requests = [];
const kinds = {};
// The viewer's DICOMweb is the hub's, by its relay at /viewer/dicomweb (io.ponte.hub.viewer).
function dicomwebPath(url) {
  const path = new URL(url).pathname;
  return path.startsWith('/viewer/dicomweb/') ? path.substring('/viewer'.length) : path;
}
function kindOf(url) {
  const path = dicomwebPath(url);
  if (!path.startsWith('/dicomweb/')) return path.startsWith('/viewer/') ? 'viewer files' : path.split('/')[1] || '/';
  if (path.endsWith('/metadata')) return 'metadata';
  if (path.includes('/frames/')) return 'frames';
  if (path.includes('/rendered') || path.endsWith('/thumbnail')) return 'rendered/thumbnail';
  if (path.endsWith('/series')) return 'QIDO series';
  if (path.endsWith('/studies')) return 'QIDO studies';
  return 'other DICOMweb';
}
function tallyRequestsSince(since, until) {
  const inSpan = requests.filter((r) => r.start >= since && r.end <= until);
  for (const r of inSpan) {
    const k = (kinds[r.kind] = kinds[r.kind] || { count: 0, ms: 0 });
    k.count += 1;
    k.ms += r.end - r.start;
  }
  if (inSpan.some((r) => r.dicomweb)) {
    step('  (of which: click to the first DICOMweb request)', since, Math.min(...inSpan.filter((r) => r.dicomweb).map((r) => r.start)));
  }
}

// The page's main thread from "open in viewer" to the first image, sampled by Chromium's CPU profiler
// for one patient of each pass: self time by script file (OHIF's bundles are named by chunk) and by
// Chromium's own categories ((idle), (program), (garbage collector)). Workers are not in it.
function printProfile(pass, profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id).callFrame;
    const where = frame.url ? frame.url.substring(frame.url.lastIndexOf('/') + 1) : frame.functionName || '(anonymous)';
    self.set(where, (self.get(where) || 0) + (profile.timeDeltas[i] || 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(
    `${pass}: the page's main thread, one patient (${Math.round(total)} ms sampled): ` +
      top.map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', '),
  );
}

// The viewer's window: opened by the first "open in viewer", then told the next study each time.
let viewer = null;

async function searchToFirstImage(page, patient, profiler, readMillis) {
  // the clinician reads the previous study first (not timed; the benchmark's -Dbench.readMillis)
  if (viewer && readMillis) await page.waitForTimeout(readMillis);
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
  const clicked = Date.now();
  if (profiler) await profiler.send('Profiler.start');
  const link = page.locator(`a[href*="StudyInstanceUIDs=${patient.uid}"]`).first();
  viewer = await openInViewerWindow(page, link, viewer, patient.uid);
  await viewer.waitForFunction(() => window.cornerstone, null, { polling: 20, timeout: 60000 });
  t = step('viewer started', t);
  await waitForImageData(viewer, patient.uid);
  step('first image', t);
  const took = Date.now() - started;
  if (profiler) profiler.profile = (await profiler.send('Profiler.stop')).profile;
  tallyRequestsSince(clicked, Date.now());
  return took;
}

run('bench-search-to-first-image', async () => {
  const given = input();
  const { browser, context, failures } = await launch({ locale: 'en-GB' });
  context.on('response', (response) => {
    if (response.url().startsWith(hubUrl()) && response.status() >= 400) {
      failures.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    }
  });
  context.on('requestfinished', (request) => {
    if (!request.url().startsWith(hubUrl())) return;
    const timing = request.timing();
    requests.push({
      kind: kindOf(request.url()),
      dicomweb: dicomwebPath(request.url()).startsWith('/dicomweb/'),
      start: timing.startTime,
      end: timing.startTime + timing.responseEnd,
    });
  });
  try {
    const page = await context.newPage();
    await page.goto(`${hubUrl()}/`);
    await signInAtKeycloak(page, given.username);
    await page.goto(`${hubUrl()}/viewer/`);
    check(new URL(page.url()).pathname.startsWith('/viewer'), `the viewer opens without a second sign-in (${page.url()})`);
    const targets = { cold: 2000, cached: 1000 };
    for (const pass of ['cold', 'cached']) {
      const times = [];
      for (const [i, patient] of given.patients.entries()) {
        // The profile of the viewer's window for the pass's middle patient: neither the first load nor the last.
        const profiler = i === Math.floor(given.patients.length / 2) && viewer ? await context.newCDPSession(viewer) : null;
        if (profiler) await profiler.send('Profiler.enable');
        times.push(await searchToFirstImage(page, patient, profiler, given.readMillis));
        if (profiler) printProfile(pass, profiler.profile);
        if (i === 0 || i === given.patients.length - 1) {
          const levels = await waitForPaintedImage(viewer, patient.uid);
          if (i === 0) await screenshot(viewer, `bench-first-image-${pass}`);
          console.log(`${pass} ${patient.identifier}: ${times[times.length - 1]} ms, painted (${levels} grey levels)`);
        }
      }
      const per = Object.entries(steps).map(([k, v]) => `${k} ${Math.round(v / times.length)} ms`);
      console.log(`${pass}: mean per step: ${per.join(', ')}`);
      for (const k of Object.keys(steps)) delete steps[k];
      const byKind = Object.entries(kinds)
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([k, v]) => `${k} ${(v.count / times.length).toFixed(1)} × ${Math.round(v.ms / v.count)} ms`);
      console.log(`${pass}: the viewer's requests to the hub, per patient (count × mean time): ${byKind.join(', ')}`);
      for (const k of Object.keys(kinds)) delete kinds[k];
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
