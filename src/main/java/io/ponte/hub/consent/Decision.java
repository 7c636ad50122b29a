package io.ponte.hub.consent;

/**
 * What the consent decision says about one access. {@code reason} is for the audit trail (it may
 * name the consent that decided); callers never show it to the requester, who only learns that
 * consent does not allow the access.
 */
public record Decision(Outcome outcome, String reason, String grantId) {

  public enum Outcome {
    PERMIT,
    DENY,
    /** Permitted only because the requester holds an emergency grant for this person. */
    PERMIT_EMERGENCY
  }

  public static Decision permit(String reason) {
    return new Decision(Outcome.PERMIT, reason, null);
  }

  public static Decision deny(String reason) {
    return new Decision(Outcome.DENY, reason, null);
  }

  public static Decision emergency(String grantId, String reason) {
    return new Decision(Outcome.PERMIT_EMERGENCY, reason, grantId);
  }

  public boolean permitted() {
    return outcome != Outcome.DENY;
  }
}
