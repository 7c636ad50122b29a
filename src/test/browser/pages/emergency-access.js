// Page objects of emergency access from the clinician workspace: the search by a hospital's
// identifier, the withheld notice, the emergency access form and the timeline's banner, found by
// role, label and accessible name in whichever language the page speaks.
'use strict';
const { check, checkText, checkFormControls } = require('../lib/ponte');

const WORDS = {
  pt: {
    byIdentifier: 'Pelo identificador de um hospital',
    identifier: 'Identificador (p. ex. HA-100234)',
    site: 'Hospital ou clínica',
    withheld: 'retidos por causa do seu consentimento',
    open: 'Acesso de emergência',
    heading: 'Acesso de emergência',
    warning: 'auditado, revisto pela autoridade de saúde e mostrado ao utente',
    reason: 'Motivo (obrigatório)',
    submit: 'Abrir acesso de emergência',
    refused: 'O acesso de emergência não foi concedido',
    until: 'Acesso de emergência até',
    end: 'Terminar já o acesso de emergência',
    endConfirm: 'Terminar agora',
    searchHeading: 'Procurar utente',
  },
  en: {
    byIdentifier: "By a hospital's identifier",
    identifier: 'Identifier (e.g. HA-100234)',
    site: 'Hospital or clinic',
    withheld: "withheld because of the patient's consent",
    open: 'Emergency access',
    heading: 'Emergency access',
    warning: 'audited, reviewed by the health authority and shown to the patient',
    reason: 'Reason (required)',
    submit: 'Open emergency access',
    refused: 'Emergency access was not granted',
    until: 'Emergency access until',
    end: 'End emergency access now',
    endConfirm: 'End it now',
    searchHeading: 'Find a patient',
  },
};

class EmergencyAccessPages {
  constructor(page, lang) {
    this.page = page;
    this.words = WORDS[lang];
  }

  /** Searches by a hospital's identifier with the keyboard (the site chosen in its list). */
  async searchByIdentifier(identifier, site) {
    const form = this.page.getByRole('form', { name: this.words.byIdentifier });
    const field = form.getByLabel(this.words.identifier);
    await field.focus();
    await this.page.keyboard.type(identifier);
    await form.getByLabel(this.words.site).selectOption(site);
    await field.press('Enter');
    await this.page.waitForURL((url) => url.searchParams.get('identifier') === identifier);
  }

  withheldNotice() {
    return this.page.locator('#withheld');
  }

  /** Follows the notice's emergency access link with the keyboard, to the form. */
  async openForm() {
    const link = this.withheldNotice().getByRole('link', { name: this.words.open });
    await link.focus();
    await link.press('Enter');
    await this.page.waitForURL((url) => url.pathname === '/clinician/emergency-access');
    await checkText(this.page.getByRole('heading', { level: 1 }), this.words.heading, 'form heading');
    await checkText(this.page.locator('#emergency-warning'), this.words.warning, 'audit warning');
  }

  reason() {
    return this.page.getByLabel(this.words.reason);
  }

  /** Submits with Enter on the button and returns the POST's HTTP status. */
  async submit() {
    const button = this.page.getByRole('button', { name: this.words.submit });
    await button.focus();
    const [response] = await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/clinician/emergency-access')),
      button.press('Enter'),
    ]);
    await this.page.waitForLoadState('load');
    return response.status();
  }

  /** The server's refusal, shown on the form again. */
  async expectRefused(words) {
    const alert = this.page.getByRole('alert');
    await checkText(alert, this.words.refused, 'refusal');
    await checkText(alert, words, 'refusal reason');
  }

  banner() {
    return this.page.locator('#emergency-banner');
  }

  /** Ends the grant early with the keyboard (the banner's link, then confirm); back on the search page. */
  async endEarly() {
    const link = this.banner().getByRole('link', { name: this.words.end });
    await link.focus();
    await link.press('Enter');
    await this.page.waitForURL((url) => url.searchParams.has('end'));
    await checkFormControls(this.page, 'emergency-end');
    const button = this.page.getByRole('button', { name: this.words.endConfirm });
    await button.focus();
    await button.press('Enter');
    await this.page.waitForURL((url) => url.pathname === '/');
    await checkText(this.page.getByRole('heading', { level: 1 }), this.words.searchHeading, 'search heading');
  }
}

module.exports = { EmergencyAccessPages, WORDS };
