// What every browser spec shares: Debian's chromium through playwright-core (never a downloaded browser),
// sign-in through the real Keycloak login page, screenshots, and small assertions that fail loudly.
// Specs are plain node scripts started by io.ponte.testing.browser.BrowserScripts, which passes:
//   PONTE_CHROMIUM      the chromium binary (Debian's /usr/bin/chromium)
//   PONTE_HUB_URL       the hub under test, e.g. http://localhost:41234
//   PONTE_SCREENSHOTS   where screenshots go (target/screenshots)
//   PONTE_SPEC_INPUT    JSON with whatever the Java test prepared (users, expected data)
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { chromium } = require('playwright-core');
const { default: AxeBuilder } = require('@axe-core/playwright');

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (specs are started by BrowserScripts)`);
  return value;
}

const hubUrl = () => env('PONTE_HUB_URL').replace(/\/$/, '');
const input = () => JSON.parse(process.env.PONTE_SPEC_INPUT || '{}');

/**
 * A fresh browser and context: language, time zone and viewport pinned, so that pages (and the
 * Keycloak login page) render the same on every machine. Each user story gets its own context.
 */
async function launch({ locale = 'pt-PT', timezoneId = 'Europe/Lisbon', viewport = { width: 1280, height: 900 } } = {}) {
  const browser = await chromium.launch({
    executablePath: env('PONTE_CHROMIUM'),
    headless: true,
    // root on CI: chromium's sandbox needs user namespaces that a container may not grant
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ locale, timezoneId, viewport });
  const failures = [];
  context.on('requestfailed', (request) => failures.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  context.on('response', (response) => {
    if (response.status() >= 500) failures.push(`${response.status()} ${response.url()}`);
  });
  return { browser, context, failures };
}

/**
 * On Keycloak's login page (any language): fills the form by its field ids, submits, and waits
 * until Keycloak has sent the browser back to the hub.
 */
async function signInAtKeycloak(page, username, password = 'ponte-demo') {
  await page.waitForSelector('#kc-form-login', { timeout: 30000 });
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
  // 60 s: on a loaded machine Keycloak once took longer than 30 s to answer the form
  await page.waitForURL((url) => url.href.startsWith(hubUrl()), { timeout: 60000 });
}

/** Activates a link with the keyboard (focus, Enter) and waits for the page it leads to. */
async function follow(page, link) {
  const href = new URL(await link.getAttribute('href'), page.url());
  await link.focus();
  await link.press('Enter');
  await page.waitForURL((url) => url.pathname === href.pathname && url.search === href.search);
}

/**
 * Follows a link to `url` from a page of another site (a `data:` page), as from an EHR or an e-mail,
 * and checks that the hub asks before it opens the records there (screenshot and axe-core as `name`);
 * returns the way on.
 */
async function askedFirstFromElsewhere(page, url, name) {
  await page.goto(`data:text/html,<a id="elsewhere" href="${encodeURI(url)}">Ponte</a>`);
  await page.locator('#elsewhere').click();
  await page.waitForURL(url);
  const goOn = page.locator('#elsewhere-continue');
  check(await goOn.count() === 1, `a link from another site asks first (${await page.locator('h1').textContent()})`);
  await screenshot(page, name);
  await checkAccessibility(page, name);
  return goOn;
}

/** A full-page PNG under PONTE_SCREENSHOTS; returns its path. */
async function screenshot(page, name) {
  const dir = env('PONTE_SCREENSHOTS');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot ${file}`);
  return file;
}

/**
 * axe-core over the page as it is now (WCAG 2.1 A and AA rules): fails on any critical or serious
 * finding, listing each with the elements it found; lesser findings are printed, not failed.
 */
async function checkAccessibility(page, name) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const describe = (v) => `${v.impact} ${v.id}: ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(', ')}]`;
  const blocking = results.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
  for (const v of results.violations.filter((v) => !blocking.includes(v))) console.log(`axe ${name}: ${describe(v)}`);
  check(blocking.length === 0, `accessibility of ${name}: ${blocking.map(describe).join('; ')}`);
  console.log(`axe ${name}: ${results.passes.length} rules pass, no critical or serious finding`);
}

/**
 * Every visible button, select and textarea in the page's main content: in the page's font size
 * (not the browser's small default) and, reached from the keyboard, inside the pages' 3px focus ring.
 */
async function checkFormControls(page, name) {
  // A key press first: focus moved by script after a keyboard interaction matches :focus-visible.
  await page.keyboard.press('Shift');
  for (const control of await page.locator('main button, main select, main textarea').all()) {
    if (!(await control.isVisible())) continue;
    await control.focus();
    const s = await control.evaluate((el) => {
      const cs = getComputedStyle(el);
      return {
        what: `${el.tagName.toLowerCase()} "${(el.innerText || el.name || '').trim().slice(0, 40)}"`,
        font: cs.fontSize,
        pageFont: getComputedStyle(document.querySelector('main')).fontSize,
        outline: `${cs.outlineStyle} ${cs.outlineWidth}`,
      };
    });
    check(s.font === s.pageFont, `${name}: ${s.what} in the page's font size (${s.font}, page ${s.pageFont})`);
    check(s.outline === 'solid 3px', `${name}: ${s.what} shows the focus ring (outline ${s.outline})`);
  }
}

/** WCAG contrast ratio of two CSS colours given as rgb()/rgba() strings. */
function contrast(a, b) {
  const lum = (css) => {
    const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The focus indicator of each control reached from the keyboard stands out from the page behind it
 * (WCAG 1.4.11: 3:1): some ring of it (outline or box-shadow) has that contrast with the page's
 * background, so that a keyboard user on a white page can see where they are.
 */
async function checkFocusVisibleOnPage(page, locator, name) {
  await page.keyboard.press('Shift');
  for (const control of await locator.all()) {
    if (!(await control.isVisible())) continue;
    await control.focus();
    const s = await control.evaluate((el) => {
      const cs = getComputedStyle(el);
      const rings = [cs.outlineStyle !== 'none' ? cs.outlineColor : null]
        .concat(cs.boxShadow === 'none' ? [] : cs.boxShadow.match(/rgba?\([^)]*\)/g) || [])
        .filter(Boolean);
      return {
        what: `${el.tagName.toLowerCase()} "${(el.innerText || el.name || '').trim().slice(0, 40)}"`,
        rings,
        page: getComputedStyle(document.body).backgroundColor,
      };
    });
    const best = Math.max(0, ...s.rings.map((c) => contrast(c, s.page)));
    check(best >= 3, `${name}: focus ring of ${s.what} (${s.rings.join(', ')}) has ${best.toFixed(2)}:1 against the page (${s.page}); needs 3:1`);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

async function checkText(locator, expected, what) {
  const text = (await locator.innerText()).trim();
  check(text.includes(expected), `${what}: expected "${expected}" in "${text}"`);
}

/**
 * Runs a spec's steps and sets the exit code: 0 when every step passed, 1 with the error (and a
 * screenshot of the page it failed on) otherwise.
 */
async function run(name, steps) {
  try {
    await steps();
    console.log(`PASS ${name}`);
  } catch (error) {
    console.error(`FAIL ${name}: ${error && error.stack ? error.stack : error}`);
    process.exitCode = 1;
  }
}

/** The layout's language switch to English, then back to the page at {@code path} (the workspace's search). */
async function switchToEnglish(page, path = '/') {
  await page.getByRole('link', { name: 'English' }).click();
  await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
  await page.goto(`${hubUrl()}${path}`);
}

module.exports = { launch, signInAtKeycloak, switchToEnglish, follow, askedFirstFromElsewhere, screenshot, checkAccessibility, checkFormControls, checkFocusVisibleOnPage, check, checkText, run, hubUrl, input };
