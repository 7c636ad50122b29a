// Page objects of the clinician workspace (/): the search page and a person's timeline, found by
// role and accessible name in whichever language the page speaks.
'use strict';
const { check, checkText } = require('../lib/ponte');

const WORDS = {
  pt: {
    searchHeading: 'Procurar utente',
    name: 'Nome (apelido ou nome próprio)',
    birthDate: 'Data de nascimento',
    byName: 'Pelo nome e data de nascimento',
    search: 'Procurar',
    results: 'Utentes encontrados',
    timelineHeading: 'Exames anteriores de',
    openInViewer: 'Abrir no visualizador',
    open: /^Abrir ·/,
    restoreHeading: 'Abrir um exame que não está disponível',
    retry: 'Tentar de novo',
  },
  en: {
    searchHeading: 'Find a patient',
    name: 'Name (family or given)',
    birthDate: 'Birth date',
    byName: 'By name and birth date',
    search: 'Search',
    results: 'Patients found',
    timelineHeading: 'Priors of',
    openInViewer: 'Open in viewer',
    open: /^Open ·/,
    restoreHeading: 'Open a study that is not online',
    retry: 'Try again',
  },
};

class ClinicianPages {
  constructor(page, lang) {
    this.page = page;
    this.lang = lang;
    this.words = WORDS[lang];
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  async expectSearchPage() {
    const lang = await this.page.locator('html').getAttribute('lang');
    check(lang === this.lang, `page language: expected ${this.lang}, got ${lang}`);
    await checkText(this.heading(), this.words.searchHeading, 'search heading');
  }

  /** Fills the name form with the keyboard and submits it with Enter. */
  async searchByName(name, birthDate) {
    const form = this.page.getByRole('form', { name: this.words.byName });
    await form.getByLabel(this.words.name).fill(name);
    // a date input takes the digits of the locale's format; fill() takes ISO
    await form.getByLabel(this.words.birthDate).fill(birthDate);
    await form.getByLabel(this.words.name).press('Enter');
    await this.page.waitForURL((url) => url.searchParams.get('name') === name);
    await checkText(this.page.getByRole('heading', { level: 2, name: this.words.results }), this.words.results, 'results heading');
  }

  /** The people found: the links to their timelines. */
  personLinks() {
    return this.page.getByRole('table').locator('tbody a');
  }

  /** Opens the first person's timeline with the keyboard. */
  async openFirstPerson() {
    const link = this.personLinks().first();
    await link.focus();
    await link.press('Enter');
    await this.page.waitForURL((url) => url.pathname.startsWith('/clinician/patients/'));
    await checkText(this.heading(), this.words.timelineHeading, 'timeline heading');
  }

  /** The timeline table as objects keyed by column header. */
  async priorRows() {
    const table = this.page.getByRole('table');
    const headers = await table.locator('thead th').allInnerTexts();
    const rows = [];
    for (const row of await table.locator('tbody tr').all()) {
      const cells = await row.locator('td').allInnerTexts();
      rows.push(Object.fromEntries(headers.map((h, i) => [h.trim(), (cells[i] || '').trim()])));
    }
    return rows;
  }

  /** Waits for every thumbnail and returns their natural widths (0 = not loaded). */
  async thumbnailWidths() {
    const images = this.page.locator('img.thumbnail');
    const count = await images.count();
    const widths = [];
    for (let i = 0; i < count; i++) {
      const image = images.nth(i);
      await image.scrollIntoViewIfNeeded();
      await this.page.waitForFunction((el) => el.complete, await image.elementHandle(), { timeout: 30000 });
      widths.push(await image.evaluate((el) => el.naturalWidth));
    }
    return widths;
  }

  viewerLinks() {
    return this.page.getByRole('link', { name: this.words.openInViewer });
  }

  /** A prior that is not online (archived, being restored, site unreachable): opens the restore page. */
  openLinks() {
    return this.page.getByRole('link', { name: this.words.open });
  }

  /** Opens the first prior that is not online, with the keyboard, and checks its page. */
  async openFirstNotOnline() {
    const link = this.openLinks().first();
    await link.focus();
    await link.press('Enter');
    await this.page.waitForURL((url) => url.pathname === '/clinician/restore');
    await checkText(this.heading(), this.words.restoreHeading, 'restore page heading');
  }

  /** The restore page's "try again" (a site that cannot be reached). */
  retryLink() {
    return this.page.getByRole('link', { name: this.words.retry });
  }
}

module.exports = { ClinicianPages, WORDS };
