package io.ponte.hub.fhir;

import io.ponte.error.ErrorCode;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Builds the OperationOutcome every FHIR error answers with, carrying Ponte's stable {@link
 * ErrorCode}.
 */
public final class OperationOutcomes {

  /** The code system of {@link ErrorCode#code()} in {@code issue.details.coding}. */
  public static final String ERROR_CODE_SYSTEM = "https://ponte.example/fhir/CodeSystem/error-code";

  private OperationOutcomes() {}

  public static OperationOutcome of(ErrorCode code, String detail) {
    OperationOutcome outcome = new OperationOutcome();
    OperationOutcome.OperationOutcomeIssueComponent issue =
        outcome
            .addIssue()
            .setSeverity(code.status() >= 500 ? IssueSeverity.FATAL : IssueSeverity.ERROR)
            .setCode(issueType(code))
            .setDiagnostics(code.code() + ": " + (detail == null ? code.title() : detail));
    issue
        .getDetails()
        .setText(code.title())
        .addCoding()
        .setSystem(ERROR_CODE_SYSTEM)
        .setCode(code.code())
        .setDisplay(code.title());
    return outcome;
  }

  /** The FHIR issue-type closest to each Ponte code (required binding). */
  static IssueType issueType(ErrorCode code) {
    return switch (code) {
      case UNAUTHENTICATED -> IssueType.LOGIN;
      case FORBIDDEN, SCOPE_MISSING, WRONG_SITE, CONSENT_DENIED -> IssueType.FORBIDDEN;
      case NOT_FOUND -> IssueType.NOTFOUND;
      case BAD_REQUEST, INVALID_UID, INVALID_DICOM, UNSUPPORTED_MEDIA_TYPE, NOT_ACCEPTABLE ->
          IssueType.INVALID;
      case INVALID_RESOURCE -> IssueType.PROCESSING;
      case CONFLICT, STUDY_OWNED_BY_ANOTHER_SITE -> IssueType.CONFLICT;
      case PAYLOAD_TOO_LARGE -> IssueType.TOOCOSTLY;
      case AUDIT_UNAVAILABLE,
          SITE_UNAVAILABLE,
          STORAGE_UNAVAILABLE,
          SITE_TIMEOUT,
          BEING_RESTORED,
          DESTINATION_UNAVAILABLE ->
          IssueType.TRANSIENT;
      case INTERNAL -> IssueType.EXCEPTION;
    };
  }
}
