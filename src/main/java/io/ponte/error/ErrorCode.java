package io.ponte.error;

/**
 * Ponte's one error vocabulary. Every error response (problem+json, OperationOutcome, DIMSE error
 * comment) carries one of these stable codes, so clients and operators can act on them: a DIMSE
 * Error Comment begins with the code ({@link #comment(String)}).
 */
public enum ErrorCode {
  UNAUTHENTICATED(401, "Authentication required"),
  FORBIDDEN(403, "Not allowed"),
  SCOPE_MISSING(403, "Missing scope"),
  WRONG_SITE(403, "Not this site's data"),
  CONSENT_DENIED(403, "Patient consent denies access"),
  NOT_FOUND(404, "Not found"),
  /** Held in an offline (archive) tier: a restore has started, retry after the time given. */
  BEING_RESTORED(202, "Being restored"),
  BAD_REQUEST(400, "Bad request"),
  INVALID_UID(400, "Invalid DICOM UID"),
  INVALID_DICOM(400, "Invalid DICOM data"),
  INVALID_RESOURCE(422, "Invalid FHIR resource"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  NOT_ACCEPTABLE(406, "Not acceptable"),
  CONFLICT(409, "Conflict"),
  /**
   * A node published a Study Instance UID the registry already holds for another site: final, the
   * publisher stops retrying that study (docs/operations.md, "Publication refusals").
   */
  STUDY_OWNED_BY_ANOTHER_SITE(409, "Study registered by another site"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  AUDIT_UNAVAILABLE(503, "Audit trail unavailable: access refused"),
  SITE_UNAVAILABLE(503, "Site unavailable"),
  SITE_TIMEOUT(504, "Site did not answer in time"),
  /** A clinic's PACS a study is sent to (hub/send) refused the association or the connection. */
  DESTINATION_UNAVAILABLE(502, "Destination unavailable"),
  STORAGE_UNAVAILABLE(503, "Storage unavailable"),
  INTERNAL(500, "Internal error");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The code as clients see it, e.g. {@code ponte:consent-denied}. */
  public String code() {
    return "ponte:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /**
   * A human-readable detail prefixed with the code ({@code "ponte:invalid-dicom: truncated"}), as
   * in a DIMSE Error Comment or a log line, so the stable code survives wherever the text goes.
   */
  public String comment(String detail) {
    return detail == null || detail.isBlank() ? code() : code() + ": " + detail;
  }

  /** The code of a {@link #code()} string, or null when it names none. */
  public static ErrorCode ofCode(String code) {
    if (code == null || !code.startsWith("ponte:")) {
      return null;
    }
    for (ErrorCode c : values()) {
      if (c.code().equals(code)) {
        return c;
      }
    }
    return null;
  }

  /**
   * The code an HTTP status means when nothing more specific is known (a framework refusal, a
   * {@code WebApplicationException}): the one mapping from status to code.
   */
  public static ErrorCode forStatus(int status) {
    return switch (status) {
      case 202 -> BEING_RESTORED;
      case 401 -> UNAUTHENTICATED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 406 -> NOT_ACCEPTABLE;
      case 409 -> CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 422 -> INVALID_RESOURCE;
      default -> status >= 500 ? INTERNAL : BAD_REQUEST;
    };
  }

  /**
   * The code for a status another site (a node) answered the hub with. The site refusing the hub's
   * own credentials, or failing, is a federation fault the caller cannot fix: the site is
   * unavailable, not the caller unauthorised.
   */
  public static ErrorCode forSiteStatus(int status) {
    return switch (status) {
      case 401, 403 -> SITE_UNAVAILABLE;
      case 504 -> SITE_TIMEOUT;
      default -> status >= 500 ? SITE_UNAVAILABLE : forStatus(status);
    };
  }
}
