package io.ponte.hub.consent;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.site.HubSites;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * Checks a Consent against the IHE PCF Basic shape Ponte enforces and turns its provisions into
 * {@link ConsentRule}s. Anything Ponte would not enforce (purpose, security labels, data classes,
 * deeper nesting) is refused rather than stored and ignored: a patient must never believe a choice
 * holds that the hub does not apply.
 */
@ApplicationScoped
public class ConsentValidator {

  public static final String SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
  public static final String SCOPE_PRIVACY = "patient-privacy";
  public static final String LOINC = "http://loinc.org";

  /** LOINC 59284-0: Patient Consent (PCF's category). */
  public static final String CATEGORY_CODE = "59284-0";

  public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

  /** Policies a consent may state it is made under: the region's opt-out or opt-in rules. */
  public static final String POLICY_OPT_OUT = "https://ponte.example/fhir/consent-policy/opt-out";

  public static final String POLICY_OPT_IN = "https://ponte.example/fhir/consent-policy/opt-in";
  static final Set<String> POLICIES = Set.of(POLICY_OPT_OUT, POLICY_OPT_IN);
  static final Set<String> POLICY_RULES = Set.of("OPTIN", "OPTOUT");

  @Inject HubSites sites;

  /** A checked consent's rules. */
  public record Rules(ConsentRule base, List<ConsentRule> exceptions) {

    /** Sites whose studies a deny provision is limited to (they must hold the person's studies). */
    Set<String> deniedSources() {
      Set<String> out = new LinkedHashSet<>();
      if (!base.permit()) {
        out.addAll(base.sources());
      }
      exceptions.stream().filter(r -> !r.permit()).forEach(r -> out.addAll(r.sources()));
      return out;
    }
  }

  public Rules check(Consent consent) {
    if (!consent.hasScope() || !has(consent.getScope(), SCOPE_SYSTEM, SCOPE_PRIVACY)) {
      throw invalid("Consent.scope must be " + SCOPE_SYSTEM + "|" + SCOPE_PRIVACY);
    }
    if (consent.getCategory().stream().noneMatch(c -> has(c, LOINC, CATEGORY_CODE))) {
      throw invalid("Consent.category must include LOINC " + CATEGORY_CODE + " (Patient Consent)");
    }
    if (!consent.hasPatient()) {
      throw invalid("Consent.patient is required");
    }
    checkPolicy(consent);
    if (!consent.hasProvision()) {
      throw invalid("Consent.provision is required: permit or deny, optionally for an actor");
    }
    Consent.ProvisionComponent top = consent.getProvision();
    ConsentRule base = rule(top, "Consent.provision");
    List<ConsentRule> exceptions = new ArrayList<>();
    int i = 0;
    for (Consent.ProvisionComponent nested : top.getProvision()) {
      String where = "Consent.provision.provision[" + i++ + "]";
      if (nested.hasProvision()) {
        throw invalid(where + ": provisions nest one level deep at most");
      }
      exceptions.add(rule(nested, where));
    }
    return new Rules(base, exceptions);
  }

  private void checkPolicy(Consent consent) {
    if (!consent.hasPolicy() && !consent.hasPolicyRule()) {
      throw invalid(
          "Consent.policy (uri "
              + POLICY_OPT_OUT
              + " or "
              + POLICY_OPT_IN
              + ") or Consent.policyRule ("
              + ACT_CODE
              + " OPTOUT or OPTIN) is required");
    }
    for (Consent.ConsentPolicyComponent policy : consent.getPolicy()) {
      if (!policy.hasUri() || !POLICIES.contains(policy.getUri()) || policy.hasAuthority()) {
        throw invalid(
            "unknown Consent.policy '"
                + (policy.hasUri() ? policy.getUri() : policy.getAuthority())
                + "'; known: "
                + POLICY_OPT_OUT
                + ", "
                + POLICY_OPT_IN);
      }
    }
    if (consent.hasPolicyRule()) {
      for (Coding coding : consent.getPolicyRule().getCoding()) {
        if (!ACT_CODE.equals(coding.getSystem()) || !POLICY_RULES.contains(coding.getCode())) {
          throw invalid(
              "unknown Consent.policyRule "
                  + coding.getSystem()
                  + "|"
                  + coding.getCode()
                  + "; known: "
                  + ACT_CODE
                  + "|OPTOUT, |OPTIN");
        }
      }
      if (consent.getPolicyRule().getCoding().isEmpty()) {
        throw invalid("Consent.policyRule needs a coding (" + ACT_CODE + " OPTOUT or OPTIN)");
      }
    }
  }

  private ConsentRule rule(Consent.ProvisionComponent p, String where) {
    if (!p.hasType()) {
      throw invalid(where + ".type is required (permit or deny)");
    }
    if (p.hasPurpose()
        || p.hasSecurityLabel()
        || p.hasClass_()
        || p.hasCode()
        || p.hasDataPeriod()
        || p.hasAction()) {
      throw invalid(
          where
              + ": Ponte enforces type, actor, period and data (authoredby a site) only;"
              + " purpose, securityLabel, class, code, dataPeriod and action are not supported");
    }
    Set<String> actors = new LinkedHashSet<>();
    int i = 0;
    for (Consent.provisionActorComponent actor : p.getActor()) {
      actors.add(organization(actor.getReference(), where + ".actor[" + i++ + "].reference"));
    }
    Set<String> sources = new LinkedHashSet<>();
    i = 0;
    for (Consent.provisionDataComponent data : p.getData()) {
      String at = where + ".data[" + i++ + "]";
      if (data.getMeaning() != Consent.ConsentDataMeaning.AUTHOREDBY) {
        throw invalid(at + ".meaning must be authoredby (the studies held at a site)");
      }
      sources.add(organization(data.getReference(), at + ".reference"));
    }
    Instant start = null;
    Instant end = null;
    if (p.hasPeriod()) {
      Period period = p.getPeriod();
      start = period.hasStart() ? period.getStart().toInstant() : null;
      end = period.hasEnd() ? period.getEnd().toInstant() : null;
      if (start != null && end != null && !end.isAfter(start)) {
        throw invalid(where + ".period ends before it starts");
      }
    }
    return new ConsentRule(
        p.getType() == Consent.ConsentProvisionType.PERMIT, actors, sources, start, end);
  }

  /** A configured site or clinic, as {@code Organization/<id>} or identifier urn:ponte:site|id. */
  private String organization(Reference ref, String where) {
    String id = null;
    if (ref.hasReference() && ref.getReference().startsWith("Organization/")) {
      id = ref.getReference().substring("Organization/".length());
    } else if (ref.hasIdentifier()
        && IdentifierSystems.SITE.equals(ref.getIdentifier().getSystem())) {
      id = ref.getIdentifier().getValue();
    }
    if (id == null || sites.site(id).isEmpty()) {
      throw invalid(
          where
              + ": unknown organisation "
              + (ref.hasReference() ? ref.getReference() : ref.getIdentifier().getValue())
              + "; known: "
              + sites.sites().stream().map(s -> "Organization/" + s.id()).toList());
    }
    return id;
  }

  private static boolean has(CodeableConcept concept, String system, String code) {
    return concept.getCoding().stream()
        .anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
  }

  static ProblemException invalid(String detail) {
    return new ProblemException(ErrorCode.INVALID_RESOURCE, detail);
  }
}
