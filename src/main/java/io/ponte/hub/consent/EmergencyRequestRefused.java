package io.ponte.hub.consent;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;

/**
 * An emergency access request the service refuses as malformed (400), with the rule it broke, so
 * that the clinician's page can say why in its own language; the API answers the detail as
 * problem+json like any other refusal.
 */
public class EmergencyRequestRefused extends ProblemException {

  /** Which rule of {@link EmergencyAccessRequest} the request broke. */
  public enum Rule {
    /** No request at all (the API's body was not JSON). */
    NO_REQUEST,
    /** No reason, or only blanks. */
    NO_REASON,
    /** A reason longer than {@link EmergencyAccessService#MAX_REASON} characters. */
    REASON_TOO_LONG,
    /** A duration that is not ISO-8601, or not positive. */
    BAD_DURATION,
    /** Longer than the region allows ({@code limit}: the maximum, in minutes). */
    DURATION_TOO_LONG,
    /** No patient the hub knows. */
    UNKNOWN_PATIENT
  }

  private final Rule rule;
  private final long limit;

  EmergencyRequestRefused(Rule rule, long limit, String detail) {
    super(ErrorCode.BAD_REQUEST, detail);
    this.rule = rule;
    this.limit = limit;
  }

  public Rule rule() {
    return rule;
  }

  /** The limit the rule names: characters of a reason, minutes of a grant; 0 for the others. */
  public long limit() {
    return limit;
  }
}
