package io.ponte.hub.web;

import java.util.List;
import java.util.Locale;

/**
 * The languages pages speak and how one is chosen: the visitor's choice (cookie {@value #COOKIE},
 * set by the switch on every page), else the browser's Accept-Language, else the default. The same
 * choice is passed to Keycloak as {@code ui_locales}, so the sign-in page speaks it too.
 */
public final class WebLocales {

  /** European Portuguese ({@code pt}, not {@code pt-BR}) and English. */
  public static final List<String> SUPPORTED = List.of("pt", "en");

  public static final String COOKIE = "ponte_lang";

  private WebLocales() {}

  public static boolean supported(String tag) {
    return tag != null && SUPPORTED.contains(tag);
  }

  /**
   * The page language for this cookie value and Accept-Language header (either may be null). {@code
   * pt-BR} in a browser counts as Portuguese: close enough to read, and the pages say it.
   */
  public static String resolve(String cookie, String acceptLanguage, String fallback) {
    if (supported(cookie)) {
      return cookie;
    }
    if (acceptLanguage != null && !acceptLanguage.isBlank()) {
      try {
        for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
          if (range.getWeight() <= 0) {
            continue;
          }
          String language = range.getRange().split("-", 2)[0].toLowerCase(Locale.ROOT);
          if (supported(language)) {
            return language;
          }
        }
      } catch (IllegalArgumentException malformed) {
        // A malformed header is the browser's problem, not the visitor's: use the default.
      }
    }
    return supported(fallback) ? fallback : SUPPORTED.get(0);
  }
}
