package io.ponte.hub.web;

import io.quarkus.qute.TemplateInstance;

/** Helpers every page controller uses. */
public final class Pages {

  private Pages() {}

  /** The template in the page's language: message bundles read the {@code locale} attribute. */
  public static TemplateInstance localized(TemplateInstance template, PageContext page) {
    return template.setLocale(page.locale());
  }
}
