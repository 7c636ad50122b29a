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
    shareAll: 'partilhar com todos os hospitais e clínicas participantes',
    chooseExcept: 'Partilhar com todos exceto os que assinalo abaixo',
    submit: 'Registar a minha escolha',
    recorded: 'A sua escolha está registada',
    notSharedWith: 'não partilhar com:',
    notRecorded: 'A sua escolha não foi registada',
    from: 'De',
    until: 'Até (incluindo esse dia)',
  },
  en: {
    studiesHeading: 'My imaging studies',
    sharingHeading: 'Who may see my images',
    accessLogHeading: 'Who accessed my records',
    menu: { studies: 'My studies', sharing: 'Sharing choices', accessLog: 'Access log' },
    signOut: 'Sign out',
    shareAll: 'share with all participating hospitals and clinics',
    chooseExcept: 'Share with all except the ones I tick below',
    submit: 'Record my choice',
    recorded: 'Your choice is recorded',
    notSharedWith: "don't share with:",
    notRecorded: 'Your choice was not recorded',
    from: 'From',
    until: 'Until (that day included)',
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
    check((await this.page.locator('form.sharing').count()) === 1, 'the sharing form is shown');
  }

  /** Today's choice in words, as the page states it. */
  async currentChoice() {
    return (await this.page.locator('#sharing-now').innerText()).trim();
  }

  /**
   * With the keyboard only: picks "all except", ticks the named organisations (by their label),
   * optionally a period, and submits with Enter; waits for the page the form leads to.
   */
  async chooseAllExcept(names, { from, until } = {}) {
    const except = this.page.getByRole('radio', { name: this.words.chooseExcept });
    await except.focus();
    await this.page.keyboard.press('Space');
    check(await except.isChecked(), 'the "all except" option is chosen');
    for (const name of names) {
      const box = this.page.getByRole('checkbox', { name, exact: true });
      await box.focus();
      if (!(await box.isChecked())) await this.page.keyboard.press('Space');
      check(await box.isChecked(), `${name} is ticked`);
    }
    if (from) await this.page.getByLabel(this.words.from, { exact: true }).fill(from);
    if (until) await this.page.getByLabel(this.words.until, { exact: true }).fill(until);
    const submit = this.page.getByRole('button', { name: this.words.submit });
    await submit.focus();
    await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), submit.press('Enter')]);
  }

  async expectRecorded(names) {
    await checkText(this.page.getByRole('status'), this.words.recorded, 'confirmation after the redirect');
    const now = await this.currentChoice();
    check(now.includes(this.words.notSharedWith), `choice in words: "${now}"`);
    for (const name of names) check(now.includes(name), `"${name}" named in "${now}"`);
  }

  async expectRefused(words) {
    await checkText(this.page.getByRole('alert'), this.words.notRecorded, 'error on the page');
    await checkText(this.page.getByRole('alert'), words, 'the reason');
  }

  async expectAccessLogPage() {
    await checkText(this.heading(), this.words.accessLogHeading, 'access log heading');
  }

  async accessLogText() {
    return (await this.page.locator('main').innerText()).trim();
  }
}

module.exports = { PortalPages, WORDS };
