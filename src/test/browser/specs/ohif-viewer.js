// A clinic clinician opens her patient's priors from each hospital in OHIF, served by the hub at /viewer:
// she signs in once, through Keycloak to the hub's pages (OHIF signs no one in: its DICOMweb goes by the hub's
// /viewer/dicomweb, which carries her page session), opens the first prior from OHIF's study list
// and the next ones by the clinician workspace's "open in viewer" link; each study's first image is painted,
// and the browser's network log holds no failed request (no network error, no 4xx/5xx from the hub).
// Then from the clinician workspace: the person's timeline opens the first prior in the viewer's own
// window, and the next in that same window by the OHIF already running there (it is not loaded again).
// Input (PONTE_SPEC_INPUT): { username, name, birthDate, studies: [{ site, uid, description }] }
'use strict';
const { launch, signInAtKeycloak, screenshot, check, run, hubUrl, input } = require('../lib/ponte');
const { openStudy, openStudyByLink, openInViewerWindow, waitForPaintedImage } = require('../pages/viewer');
const { ClinicianPages } = require('../pages/clinician');

run('ohif-viewer', async () => {
  const given = input();
  const { browser, context, failures } = await launch({ locale: 'en-GB' });
  context.on('response', (response) => {
    if (response.url().startsWith(hubUrl()) && response.status() >= 400) {
      failures.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    }
  });
  const errors = [];
  try {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text().slice(0, 400)}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(`${hubUrl()}/viewer/`);
    await signInAtKeycloak(page, given.username);
    await page.waitForURL((url) => url.pathname.startsWith('/viewer'), { timeout: 30000 });
    for (const study of given.studies) {
      await page.getByText(study.description, { exact: true }).waitFor({ timeout: 60000 });
    }
    await screenshot(page, 'ohif-study-list');
    for (const [i, study] of given.studies.entries()) {
      if (i === 0) await openStudy(page, study.description, study.uid);
      else await openStudyByLink(page, hubUrl(), study.uid);
      let levels;
      try {
        levels = await waitForPaintedImage(page);
      } catch (e) {
        await screenshot(page, `ohif-${study.site}-not-painted`);
        console.log(`requests failed so far:\n  ${failures.join('\n  ')}`);
        console.log(`console errors:\n  ${errors.join('\n  ')}`);
        throw e;
      }
      console.log(`${study.site} ${study.uid}: painted, ${levels} grey levels sampled`);
      check(
        new URL(page.url()).searchParams.get('StudyInstanceUIDs') === study.uid,
        `the viewer still shows ${study.uid} (${page.url()})`,
      );
      await screenshot(page, `ohif-${study.site}`);
    }
    const desk = await context.newPage();
    await desk.goto(`${hubUrl()}/`);
    const workspace = new ClinicianPages(desk, 'en');
    await workspace.searchByName(given.name, given.birthDate);
    await workspace.openFirstPerson();
    let viewer = null;
    for (const [i, study] of given.studies.entries()) {
      const link = desk.locator(`a[target="ponte-viewer"][href*="StudyInstanceUIDs=${study.uid}"]`);
      check(await link.count() === 1, `the timeline offers ${study.uid} in the viewer`);
      // the first with the keyboard, the next with the mouse
      viewer = await openInViewerWindow(desk, link, viewer, study.uid, i === 0 ? (l) => l.press('Enter') : undefined);
      if (i === 0) await viewer.evaluate(() => { window.ponteFirstLoad = true; });
      await waitForPaintedImage(viewer, study.uid);
      await screenshot(viewer, `ohif-window-${study.site}`);
      check(await viewer.evaluate(() => window.ponteFirstLoad === true),
        `${study.uid} is shown by the OHIF the first study started, not a new load of the viewer`);
      check(context.pages().length === 3, `one viewer window (pages open: ${context.pages().length})`);
    }
    check(desk.url().includes('/clinician/patients/'), `the timeline stays where it was (${desk.url()})`);
    await viewer.goBack();
    await waitForPaintedImage(viewer, given.studies[0].uid);
    check(await viewer.evaluate(() => window.ponteFirstLoad === true), 'Back returns to the previous study in the same OHIF');

    const crossOriginIsolated = await page.evaluate(() => window.crossOriginIsolated);
    check(crossOriginIsolated === true, 'the viewer is cross-origin isolated (COOP/COEP) for 3D/MPR');
    if (errors.length) console.log(`console errors (not failed on):\n  ${errors.join('\n  ')}`);
    // Cancelled is not failed: leaving a page (for the link, or for Keycloak) cancels what it still
    // loads (a lazy stylesheet, a worker), net::ERR_ABORTED. Every other network error and every
    // 4xx/5xx from the hub counts.
    const cancelled = failures.filter((f) => f.endsWith(': net::ERR_ABORTED'));
    if (cancelled.length) console.log(`cancelled by the browser (not failed on):\n  ${cancelled.join('\n  ')}`);
    const failed = failures.filter((f) => !cancelled.includes(f));
    check(failed.length === 0, `failed requests:\n  ${failed.join('\n  ')}`);
  } finally {
    await browser.close();
  }
});
