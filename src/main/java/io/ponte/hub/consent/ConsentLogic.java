package io.ponte.hub.consent;

import java.util.Optional;

/**
 * The consent decision itself, as a pure function of the policy, the request and the person's
 * consents and grants (no I/O, so the matrix test states every rule). {@link ConsentDecisions}
 * loads the inputs and caches them.
 *
 * <ol>
 *   <li>The owning site's own clinicians always see its studies: care at home is not sharing.
 *   <li>Otherwise the newest active consent that says something about this organisation and this
 *       study's site decides; a consent outside its period says nothing.
 *   <li>With none, the region policy: opt-out shares, opt-in does not.
 *   <li>A refusal yields to an emergency grant the requesting user holds for this person; an
 *       explicit deny only when the policy lets emergencies override an opt-out.
 * </ol>
 */
public final class ConsentLogic {

  private ConsentLogic() {}

  public static Decision decide(ConsentPolicy policy, AccessRequest request, PersonConsents of) {
    if (request.owningSite() != null && request.owningSite().equals(request.organization())) {
      return Decision.permit("the owning site's own clinician");
    }
    Optional<Boolean> stated = Optional.empty();
    String decidedBy = null;
    if (request.organization() != null) {
      for (RecordedConsent consent : of.consents()) {
        stated = consent.permits(request.organization(), request.owningSite(), request.at());
        if (stated.isPresent()) {
          decidedBy = consent.id();
          break;
        }
      }
    }
    if (stated.isPresent() && stated.get()) {
      return Decision.permit("consent " + decidedBy + " permits");
    }
    if (stated.isEmpty() && !policy.optIn() && request.organization() != null) {
      return Decision.permit("opt-out region: the patient has not objected");
    }
    boolean explicitDeny = stated.isPresent();
    String reason =
        request.organization() == null
            ? "the requester names no organisation"
            : explicitDeny
                ? "consent " + decidedBy + " denies"
                : "opt-in region: the patient has not permitted sharing";
    if (!explicitDeny || policy.emergencyOverridesOptOut()) {
      for (ActiveGrant grant : of.grants()) {
        if (request.username() != null && grant.holds(request.username(), request.at())) {
          return Decision.emergency(grant.id(), reason + "; emergency grant " + grant.id());
        }
      }
    }
    return Decision.deny(reason);
  }
}
