// Page object of the authority's identity review (/authority/identity), found by role and
// accessible name, in whichever language the page speaks.
'use strict';
const { check, checkText } = require('../lib/ponte');

const WORDS = {
  pt: {
    menu: 'Revisão de identidades',
    heading: 'É a mesma pessoa?',
    open: 'Pares de utentes: Por rever',
    accepted: 'Ligados',
    rejected: 'Mantidos separados',
    acceptedCaption: 'Pares de utentes: Ligados',
    rejectedCaption: 'Pares de utentes: Mantidos separados',
    note: 'Porquê (fica com a decisão)',
    link: 'A mesma pessoa: ligar',
    reject: 'Não é a mesma pessoa',
    linked: 'Os dois utentes são agora uma só pessoa.',
    keptApart: 'Os dois utentes ficam separados.',
  },
  en: {
    menu: 'Identity review',
    heading: 'Is it the same person?',
    open: 'Pairs of patients: Awaiting review',
    accepted: 'Linked',
    rejected: 'Kept apart',
    acceptedCaption: 'Pairs of patients: Linked',
    rejectedCaption: 'Pairs of patients: Kept apart',
    note: 'Why (kept with the decision)',
    link: 'Same person: link',
    reject: 'Not the same person',
    linked: 'The two patients are now one person.',
    keptApart: 'The two patients are kept apart.',
  },
};

class IdentityReview {
  constructor(page, lang) {
    this.page = page;
    this.lang = lang;
    this.words = WORDS[lang];
  }

  async expectPage() {
    const lang = await this.page.locator('html').getAttribute('lang');
    check(lang === this.lang, `page language: expected ${this.lang}, got ${lang}`);
    await checkText(this.page.getByRole('heading', { level: 1 }), this.words.heading, 'identity review heading');
  }

  /** The row of the pair showing `identifier` in the table captioned `caption`. */
  row(caption, identifier) {
    return this.page.getByRole('table', { name: caption, exact: true }).locator('tbody tr', { hasText: identifier });
  }

  /** Links or rejects the open pair showing `identifier`, with the keyboard only. */
  async decideWithKeyboard(identifier, note, link) {
    const row = this.row(this.words.open, identifier);
    check((await row.count()) === 1, `one open pair shows ${identifier}`);
    await row.getByRole('textbox', { name: this.words.note }).focus();
    await this.page.keyboard.type(note);
    await this.page.keyboard.press('Tab');
    if (!link) {
      await this.page.keyboard.press('Tab');
    }
    const focused = await this.page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
    const expected = link ? this.words.link : this.words.reject;
    check(focused === expected, `Tab reaches "${expected}" (focused: ${focused})`);
    // the URL names this decision, so a page still showing the previous one is never taken for it
    const done = link ? 'done=linked' : 'done=rejected';
    await Promise.all([this.page.waitForURL((url) => url.search.includes(done)), this.page.keyboard.press('Enter')]);
    await this.page.waitForLoadState('domcontentloaded');
    await checkText(this.page.getByRole('status'), link ? this.words.linked : this.words.keptApart, 'decision confirmation');
  }

  /** Where the open pair's two decision buttons are: [link, reject] bounding boxes. */
  async decisionButtonBoxes(identifier) {
    const buttons = this.row(this.words.open, identifier).getByRole('button');
    return [await buttons.nth(0).boundingBox(), await buttons.nth(1).boundingBox()];
  }

  async showStatus(name) {
    await this.page.getByRole('link', { name, exact: true }).click();
    await this.page.waitForURL((url) => url.search.includes('status='));
  }

  async switchTo(lang) {
    await this.page.getByRole('link', { name: lang === 'pt' ? 'Português' : 'English' }).click();
    await this.page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
    return new IdentityReview(this.page, lang);
  }
}

module.exports = { IdentityReview, WORDS };
