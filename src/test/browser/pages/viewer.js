// The OHIF viewer at /viewer: open a study, wait until its first image is painted.
'use strict';
const { hubUrl, check } = require('../lib/ponte');

/** Opens one study in OHIF's basic viewer mode. */
async function openStudy(page, studyUid) {
  await page.goto(`${hubUrl()}/viewer/viewer?StudyInstanceUIDs=${encodeURIComponent(studyUid)}`);
}

/**
 * Waits until a viewport canvas holds an image: its pixels are not all one value (a blank or
 * black canvas is one value). Returns the number of distinct grey levels sampled.
 */
async function waitForPaintedImage(page, timeout = 90000) {
  const handle = await page.waitForFunction(
    () => {
      for (const canvas of document.querySelectorAll('canvas')) {
        if (canvas.width < 64 || canvas.height < 64) continue;
        const copy = document.createElement('canvas');
        copy.width = canvas.width;
        copy.height = canvas.height;
        const ctx = copy.getContext('2d');
        ctx.drawImage(canvas, 0, 0);
        const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
        const values = new Set();
        for (let i = 0; i < data.length; i += 4 * 97) values.add(data[i]);
        if (values.size > 8) return values.size;
      }
      return false;
    },
    null,
    { timeout, polling: 500 },
  );
  const levels = await handle.jsonValue();
  check(levels > 8, `a painted image (distinct levels: ${levels})`);
  return levels;
}

module.exports = { openStudy, waitForPaintedImage };
