// Page object of the authority's dashboard (/authority), found by role and accessible name, in
// whichever language the page speaks.
'use strict';
const { check, checkText } = require('../lib/ponte');

const WORDS = {
  pt: {
    heading: 'Partilha num relance',
    retrievals: 'Obtenções de imagens de outro local, por dia',
    emergency: 'Acessos de emergência por rever',
    comment: 'Comentário da revisão',
    markReviewed: 'Marcar como revisto',
    reviewed: 'O acesso de emergência foi marcado como revisto.',
    csv: 'Descarregar em CSV',
  },
  en: {
    heading: 'Sharing at a glance',
    retrievals: "Retrievals of another site's images, per day",
    emergency: 'Emergency accesses awaiting review',
    comment: 'Review comment',
    markReviewed: 'Mark reviewed',
    reviewed: 'The emergency access was marked reviewed.',
    csv: 'Download as CSV',
  },
};

class AuthorityDashboard {
  constructor(page, lang) {
    this.page = page;
    this.lang = lang;
    this.words = WORDS[lang];
  }

  async expectDashboard() {
    const lang = await this.page.locator('html').getAttribute('lang');
    check(lang === this.lang, `page language: expected ${this.lang}, got ${lang}`);
    await checkText(this.page.getByRole('heading', { level: 1 }), this.words.heading, 'dashboard heading');
  }

  /** Waits until the charts script has drawn (or failed), and says which. */
  async chartsState() {
    await this.page.waitForFunction(() => document.documentElement.hasAttribute('data-charts'), null, { timeout: 15000 });
    return this.page.locator('html').getAttribute('data-charts');
  }

  /** A figures table by its caption: rows of cell texts. */
  async tableRows(caption) {
    const table = this.page.getByRole('table', { name: caption, exact: true });
    const rows = [];
    for (const row of await table.locator('tbody tr').all()) {
      // a date by its machine-readable value, as the CSV has it (the page words it)
      rows.push(await row.locator('td').evaluateAll((cells) => cells.map((c) => {
        const time = c.querySelector('time[datetime]');
        return (time ? time.getAttribute('datetime') : c.innerText).trim();
      })));
    }
    return rows;
  }

  /** The labels of the chart drawn for a table (by its id), as chart.js holds them. */
  async chartLabels(tableId) {
    // eslint-disable-next-line no-undef
    return this.page.evaluate((id) => Chart.getChart(document.querySelector(`canvas[data-table="${id}"]`)).data.labels, tableId);
  }

  /** Downloads a table's CSV through its link; returns the saved file's path. */
  async downloadCsv(caption, saveAs) {
    const section = this.page.getByRole('region', { name: caption, exact: true });
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      section.getByRole('link', { name: new RegExp(`^${this.words.csv}`) }).click(),
    ]);
    await download.saveAs(saveAs);
    return saveAs;
  }

  /** Reviews the pending access whose row mentions `reason`, using only the keyboard. */
  async reviewWithKeyboard(reason, comment) {
    const row = this.page.getByRole('table', { name: this.words.emergency, exact: true })
      .locator('tbody tr', { hasText: reason });
    const field = row.getByRole('textbox', { name: this.words.comment });
    await field.focus();
    await this.page.keyboard.type(comment);
    await this.page.keyboard.press('Tab');
    const focused = await this.page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
    check(focused === this.words.markReviewed, `Tab moves to the review button (focused: ${focused})`);
    await Promise.all([this.page.waitForURL((url) => url.search.includes('reviewed=1')), this.page.keyboard.press('Enter')]);
    await checkText(this.page.getByRole('status'), this.words.reviewed, 'review confirmation');
  }

  async switchTo(lang) {
    await this.page.getByRole('link', { name: lang === 'pt' ? 'Português' : 'English' }).click();
    await this.page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
    return new AuthorityDashboard(this.page, lang);
  }
}

module.exports = { AuthorityDashboard, WORDS };
