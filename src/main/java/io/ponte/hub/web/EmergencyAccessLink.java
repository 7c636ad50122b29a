package io.ponte.hub.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The address of the emergency access form for a person, which every page that says a record is
 * withheld offers (the clinician's timeline and search, and a refusal shown as a page): here, so
 * that the pages of every role can name it without depending on the clinician's pages.
 */
public final class EmergencyAccessLink {

  private EmergencyAccessLink() {}

  /** The form for {@code patient}: what the search named, or {@code Patient/<id>}. */
  public static String form(String patient) {
    return "/clinician/emergency-access?patient="
        + URLEncoder.encode(patient, StandardCharsets.UTF_8);
  }
}
