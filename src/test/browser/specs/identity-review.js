// The authority reviews uncertain identity matches: rita.authority opens the dashboard, follows the
// menu to the identity review, links one pair and keeps another apart (keyboard only, a note with
// each), then finds each under its status with her name and note; the same page in English, and
// asked first when a link on another site sent her there.
// Screenshots and axe-core in both languages; on a phone, a row's two buttons line up. The Java test
// checks the decisions through the API.
// Input (PONTE_SPEC_INPUT): { username, reviewer (her name as the page shows it), link: {identifier, note},
//   reject: {identifier, note} }
'use strict';
const { launch, askedFirstFromElsewhere, signInAtKeycloak, screenshot, checkAccessibility, check, run, hubUrl, input } = require('../lib/ponte');
const { AuthorityDashboard } = require('../pages/authority');
const { IdentityReview } = require('../pages/identity-review');

run('identity-review', async () => {
  const given = input();
  const { browser, context, failures } = await launch({ locale: 'pt-PT' });
  try {
    const page = await context.newPage();
    await page.goto(`${hubUrl()}/authority`);
    await signInAtKeycloak(page, given.username);
    // The dashboard fetches its figures (no-store) for its charts: leaving before they arrive
    // would abort that request, which the harness counts as a failed request.
    await new AuthorityDashboard(page, 'pt').chartsState();
    let review = new IdentityReview(page, 'pt');
    await page.getByRole('link', { name: review.words.menu, exact: true }).click();
    await review.expectPage();
    for (const pair of [given.link, given.reject]) {
      check((await review.row(review.words.open, pair.identifier).count()) === 1, `pair of ${pair.identifier} awaits review`);
    }
    await screenshot(page, 'identity-review-pt');
    await checkAccessibility(page, 'identity-review-pt');

    // on a phone a row's two buttons line up: side by side, or one under the other at the same edge
    await page.setViewportSize({ width: 390, height: 844 });
    const [linkButton, rejectButton] = await review.decisionButtonBoxes(given.link.identifier);
    check(rejectButton.y === linkButton.y || Math.abs(rejectButton.x - linkButton.x) < 1,
      `buttons aligned on a phone: link at ${linkButton.x},${linkButton.y}, reject at ${rejectButton.x},${rejectButton.y}`);
    await screenshot(page, 'identity-review-pt-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await review.decideWithKeyboard(given.link.identifier, given.link.note, true);
    await review.decideWithKeyboard(given.reject.identifier, given.reject.note, false);
    for (const pair of [given.link, given.reject]) {
      check((await review.row(review.words.open, pair.identifier).count()) === 0, `pair of ${pair.identifier} no longer open`);
    }

    await review.showStatus(review.words.accepted);
    const linked = await review.row(review.words.acceptedCaption, given.link.identifier).innerText();
    check(linked.includes(given.reviewer) && linked.includes(given.link.note), `linked pair shows who and why: ${linked}`);
    await screenshot(page, 'identity-review-linked-pt');
    await review.showStatus(review.words.rejected);
    const apart = await review.row(review.words.rejectedCaption, given.reject.identifier).innerText();
    check(apart.includes(given.reviewer) && apart.includes(given.reject.note), `rejected pair shows who and why: ${apart}`);

    review = await review.switchTo('en');
    await review.expectPage();
    await screenshot(page, 'identity-review-en');
    await checkAccessibility(page, 'identity-review-en');

    // A link from another site to the review list, which shows people by itself: asked first.
    const list = `${hubUrl()}/authority/identity`;
    const goOn = await askedFirstFromElsewhere(page, list, 'identity-review-opened-from-elsewhere-en');
    check(await page.locator('#pairs').count() === 0, 'no pair is shown before she goes on');
    await goOn.click();
    await page.locator('#pairs').waitFor();
    await review.expectPage();

    // a status typed into the address bar: said on the page, answered 400
    const bad = await page.goto(`${hubUrl()}/authority/identity?status=everything`);
    check(bad.status() === 400, `unknown status answered ${bad.status()}`);
    check((await page.getByRole('alert').count()) === 1, 'unknown status explained on the page');
    const said = (await page.getByRole('alert').innerText()).trim();
    check(said === 'There is no such list of pairs; choose one of the lists above.', `unknown status in words: ${said}`);

    check(failures.length === 0, `no failed request in the browser: ${failures.join('; ')}`);
  } finally {
    await browser.close();
  }
});
