// The OHIF viewer at /viewer: open a study, wait until its first image is painted.
'use strict';
const { check } = require('../lib/ponte');

/** From OHIF's study list: selects the study by its description and opens it in the Basic Viewer. */
async function openStudy(page, description, studyUid) {
  await page.getByText(description, { exact: true }).click();
  await page.getByRole('button', { name: 'Basic Viewer' }).click();
  // The study as the StudyInstanceUIDs parameter itself, not merely somewhere in the query: a URL
  // rewritten to "??StudyInstanceUIDs=" (see ViewerAppConfig) opens nothing at all.
  await page.waitForURL(
    (url) => isBasicViewer(url) && url.searchParams.get('StudyInstanceUIDs') === studyUid,
    { timeout: 30000 },
  );
}

/**
 * Straight to a study by its link: OHIF's Basic Viewer route with the study as StudyInstanceUIDs,
 * in the same page (the hub's page session signs the viewer in). The hub sends such a direct load by the
 * clinician's restore page (RestorePages), which passes an online study on to the route naming the
 * data source, /viewer/viewer/ponte (the link the clinician workspace itself gives).
 */
async function openStudyByLink(page, hubUrl, studyUid) {
  await page.goto(`${hubUrl}/viewer/viewer?StudyInstanceUIDs=${encodeURIComponent(studyUid)}`);
  await page.waitForURL(
    (url) => isBasicViewer(url) && url.searchParams.get('StudyInstanceUIDs') === studyUid,
    { timeout: 60000 },
  );
}

/**
 * "Open in viewer" on a clinician page (the link, activated by `press`: a click or a key): the study
 * in the viewer's window. The first time (no `viewer` page yet) that window opens and is returned;
 * after that the given viewer page shows the study. Waits until its address names the study.
 */
async function openInViewerWindow(page, link, viewer, studyUid, press = (l) => l.click()) {
  if (!viewer || viewer.isClosed()) {
    [viewer] = await Promise.all([page.context().waitForEvent('page'), press(link)]);
  } else {
    await press(link);
  }
  await viewer.waitForURL(
    (url) => isBasicViewer(url) && url.searchParams.get('StudyInstanceUIDs') === studyUid,
    { timeout: 60000 },
  );
  return viewer;
}

/** OHIF's Basic Viewer, by its default data source's route or by the one naming it. */
function isBasicViewer(url) {
  return url.pathname === '/viewer/viewer' || url.pathname === '/viewer/viewer/ponte';
}

/** OHIF's first-use tour dims the viewport and blocks clicks: skipped, as a user would. */
async function skipTour(page) {
  const skip = page.locator('.shepherd-element').getByText('Skip all', { exact: true });
  if (await skip.isVisible()) await skip.click();
}

/**
 * In the page: whether a cornerstone viewport (OHIF's window.cornerstone) holds image data, of the
 * given study when one is given (its image id, a WADO-RS frame address, names the study): when the
 * running viewer is told to show the next study, the previous one's image is still there at first.
 */
function viewportHasImage(studyUid) {
  return (window.cornerstone?.getRenderingEngines() ?? [])
    .flatMap((engine) => engine.getViewports())
    .some((viewport) => {
      try {
        if (studyUid && !String(viewport.getCurrentImageId?.() ?? '').includes(`/studies/${studyUid}/`)) return false;
        return Boolean(viewport.getImageData?.());
      } catch {
        return false; // no image in it yet
      }
    });
}

/** Waits, polling every 20 ms (for timing), until a viewport holds image data (of the study, if given). */
async function waitForImageData(page, studyUid = null, timeout = 90000) {
  await page.waitForFunction(viewportHasImage, studyUid, { polling: 20, timeout });
}

/**
 * Waits until the largest canvas (the viewport) shows an image, with OHIF's tour out of the way:
 * cornerstone (OHIF's window.cornerstone) holds the image data of a viewport, and a screenshot of
 * the viewport's area has many distinct grey levels (blank or black is one). Both, because OHIF's
 * loading indicator over an empty viewport has grey levels too. The screenshot, not the canvas, is read: a WebGL
 * canvas cannot be read back once the frame is composited. With a study, its image must be the one
 * shown. Returns the number of levels seen.
 */
async function waitForPaintedImage(page, studyUid = null, timeout = 90000) {
  const deadline = Date.now() + timeout;
  let levels = 0;
  let imageData = false;
  while (Date.now() < deadline) {
    await page.waitForTimeout(1000);
    await skipTour(page);
    if (await page.locator('.shepherd-modal-is-visible').count()) continue;
    imageData = await page.evaluate(viewportHasImage, studyUid);
    if (!imageData) continue;
    const box = await page.evaluate(() => {
      let best = null;
      for (const canvas of document.querySelectorAll('canvas')) {
        const r = canvas.getBoundingClientRect();
        if (r.width >= 64 && r.height >= 64 && (!best || r.width * r.height > best.width * best.height)) {
          best = { x: r.x, y: r.y, width: r.width, height: r.height };
        }
      }
      return best;
    });
    if (!box) continue;
    const png = await page.screenshot({ clip: box });
    levels = await page.evaluate(async (data) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const c = document.createElement('canvas');
      c.width = image.width;
      c.height = image.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(image, 0, 0);
      const pixels = ctx.getImageData(0, 0, c.width, c.height).data;
      const values = new Set();
      for (let i = 0; i < pixels.length; i += 4 * 7) values.add(pixels[i]);
      return values.size;
    }, png.toString('base64'));
    if (levels > 16) return levels;
  }
  check(false, `a painted image in the viewport (image data in cornerstone: ${imageData}, distinct grey levels: ${levels})`);
  return levels;
}

module.exports = { openStudy, openStudyByLink, openInViewerWindow, waitForImageData, waitForPaintedImage };
