package io.ponte.error;

/**
 * Ponte's one error vocabulary. Every error response (problem+json, OperationOutcome, DIMSE error
 * comment) carries one of these stable codes, so clients and operators can act on them.
 */
public enum ErrorCode {
  UNAUTHENTICATED(401, "Authentication required"),
  FORBIDDEN(403, "Not allowed"),
  SCOPE_MISSING(403, "Missing scope"),
  WRONG_SITE(403, "Not this site's data"),
  CONSENT_DENIED(403, "Patient consent denies access"),
  NOT_FOUND(404, "Not found"),
  BAD_REQUEST(400, "Bad request"),
  INVALID_UID(400, "Invalid DICOM UID"),
  INVALID_DICOM(400, "Invalid DICOM data"),
  INVALID_RESOURCE(422, "Invalid FHIR resource"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  NOT_ACCEPTABLE(406, "Not acceptable"),
  CONFLICT(409, "Conflict"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  AUDIT_UNAVAILABLE(503, "Audit trail unavailable: access refused"),
  SITE_UNAVAILABLE(503, "Site unavailable"),
  SITE_TIMEOUT(504, "Site did not answer in time"),
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
}
