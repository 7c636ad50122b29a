package io.ponte.error;

/** How a request's own value may appear in an error detail. */
public final class ErrorDetails {

  /** Longest quoted value; longer ones are cut with "...". */
  public static final int MAX_QUOTED = 70;

  private ErrorDetails() {}

  /**
   * A value as it may appear in a problem detail, log line or DIMSE comment: printable ASCII only
   * (anything else becomes '?', so no control character or markup reaches a client or a log), at
   * most {@value #MAX_QUOTED} characters; "(empty)" for null.
   */
  public static String quote(String value) {
    if (value == null) {
      return "(empty)";
    }
    String shown = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) : value;
    shown = shown.replaceAll("[^\\x20-\\x7e]", "?");
    return value.length() > MAX_QUOTED ? shown + "..." : shown;
  }
}
