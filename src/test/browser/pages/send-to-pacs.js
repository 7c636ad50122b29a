// Page objects of "Send to my PACS": the timeline's button, the confirmation naming the clinic's
// PACS, and the progress page, found by role, label and accessible name in either language.
'use strict';
const { check, checkText } = require('../lib/ponte');

const WORDS = {
  pt: {
    send: 'Enviar para o meu PACS',
    progressHeading: 'A enviar para o meu PACS',
    progress: 'Progresso',
    completed: 'Concluído: o exame está no seu PACS.',
    stored: 'Arquivadas:',
  },
  en: {
    send: 'Send to my PACS',
    progressHeading: 'Sending to my PACS',
    progress: 'Progress',
    completed: 'Done: the study is in your PACS.',
    stored: 'Stored:',
  },
};

class SendToPacsPages {
  constructor(page, lang) {
    this.page = page;
    this.words = WORDS[lang];
  }

  /** The timeline's send link of the first prior, followed with the keyboard, to the confirmation. */
  async openFromTimeline() {
    const link = this.page.getByRole('link', { name: this.words.send }).first();
    await link.focus();
    await link.press('Enter');
    await this.page.waitForURL((url) => url.pathname === '/clinician/send');
    await checkText(this.page.getByRole('heading', { level: 1 }), this.words.send, 'confirmation heading');
  }

  /**
   * Presses the form's button with the keyboard; returns the POST's status (303 when accepted) and
   * the job's state as the progress page was first drawn.
   */
  async confirm() {
    this.polls = 0;
    this.page.on('request', (r) => { if (/\/clinician\/send\/[0-9a-f-]{36}\/progress$/.test(r.url())) this.polls++; });
    const button = this.page.getByRole('button', { name: this.words.send });
    await button.focus();
    const [response] = await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/clinician/send')),
      button.press('Enter'),
    ]);
    await this.page.waitForURL((url) => /^\/clinician\/send\/[0-9a-f-]{36}$/.test(url.pathname));
    await checkText(this.page.getByRole('heading', { level: 1 }), this.words.progressHeading, 'progress heading');
    this.firstState = await this.page.locator('#send-progress').getAttribute('data-state');
    return response.status();
  }

  /** Waits (polled by the page's own script) until the status says done; returns the bar's value and max. */
  async awaitCompleted() {
    await this.page.getByRole('status').getByText(this.words.completed).waitFor({ timeout: 60000 });
    const bar = this.page.getByLabel(this.words.progress);
    const value = await bar.evaluate((el) => [el.value, el.max]);
    check(value[0] === value[1] && value[1] > 0, `progress bar full: ${value}`);
    await checkText(this.page.getByRole('status'), this.words.stored, 'counts');
    // Drawn before the send ended, the page got there by polling the job.
    if (this.firstState === 'queued' || this.firstState === 'running') {
      check(this.polls > 0, `the page polled the job (first drawn ${this.firstState})`);
    }
    console.log(`progress page first drawn as ${this.firstState}; ${this.polls} poll(s)`);
    return value;
  }
}

module.exports = { SendToPacsPages, WORDS };
