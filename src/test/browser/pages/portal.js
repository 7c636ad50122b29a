// Page objects of the patient portal (/portal): one per page, found by role and accessible name,
// in whichever language the page speaks (the words come from the caller, who knows the language).
'use strict';
const { check, checkText, follow } = require('../lib/ponte');

const WORDS = {
  pt: {
    studiesHeading: 'Os meus exames de imagiologia',
    sharingHeading: 'Quem pode ver as minhas imagens',
    accessLogHeading: 'Quem acedeu aos meus dados',
    menu: { studies: 'Os meus exames', sharing: 'Partilha', accessLog: 'Registo de acessos' },
    signOut: 'Terminar sessão',
    notAvailable: 'Ainda não é possível escolher',
  },
  en: {
    studiesHeading: 'My imaging studies',
    sharingHeading: 'Who may see my images',
    accessLogHeading: 'Who accessed my records',
    menu: { studies: 'My studies', sharing: 'Sharing choices', accessLog: 'Access log' },
    signOut: 'Sign out',
    notAvailable: 'Choosing is not available yet',
  },
};

class PortalPages {
  constructor(page, lang) {
    this.page = page;
    this.lang = lang;
    this.words = WORDS[lang];
  }

  async expectLanguage() {
    const lang = await this.page.locator('html').getAttribute('lang');
    check(lang === this.lang, `page language: expected ${this.lang}, got ${lang}`);
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  /** Follows a main-menu link, as a keyboard user would: focus it and press Enter. */
  async openFromMenu(which) {
    const link = this.page.getByRole('navigation', { name: this.lang === 'pt' ? 'Menu principal' : 'Main menu' })
      .getByRole('link', { name: this.words.menu[which], exact: true });
    await follow(this.page, link);
    const current = await link.getAttribute('aria-current');
    check(current === 'page', `menu marks ${which} as the current page (aria-current=${current})`);
  }

  async switchTo(lang) {
    const label = lang === 'pt' ? 'Português' : 'English';
    await this.page.getByRole('link', { name: label }).click();
    // /web/locale remembers the choice and sends the browser back to the same page
    await this.page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
    return new PortalPages(this.page, lang);
  }

  /** The studies table as objects keyed by column header. */
  async studyRows() {
    await checkText(this.heading(), this.words.studiesHeading, 'studies heading');
    const table = this.page.getByRole('table');
    const headers = await table.locator('thead th').allInnerTexts();
    const rows = [];
    for (const row of await table.locator('tbody tr').all()) {
      const cells = await row.locator('td').allInnerTexts();
      rows.push(Object.fromEntries(headers.map((h, i) => [h.trim(), (cells[i] || '').trim()])));
    }
    return rows;
  }

  async expectSharingPage() {
    await checkText(this.heading(), this.words.sharingHeading, 'sharing heading');
    await checkText(this.page.getByRole('status'), this.words.notAvailable, 'sharing notice');
  }

  async expectAccessLogPage() {
    await checkText(this.heading(), this.words.accessLogHeading, 'access log heading');
  }

  async accessLogText() {
    return (await this.page.locator('main').innerText()).trim();
  }
}

module.exports = { PortalPages, WORDS };
