package io.ponte.hub.web.portal;

import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.consent.ConsentValidator;
import io.ponte.hub.site.HubSites;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * What the patient chose on the sharing page's form, checked, and as the PCF Consent it records:
 * share with all (permit), share with nobody (deny), or share with all but the ticked organisations
 * (permit, with a nested deny for them, so that it means the same under opt-in and opt-out),
 * optionally for a period of whole days in the region's time zone.
 */
record SharingChoice(String choice, Set<String> organizations, LocalDate from, LocalDate until) {

  static final String ALL = "all";
  static final String NONE = "none";
  static final String EXCEPT = "except";

  /** A refused form: the message key of the portal bundle and, for some, what it names. */
  static final class Invalid extends Exception {
    final String key;
    final String argument;

    Invalid(String key, String argument) {
      super(key, null, false, false);
      this.key = key;
      this.argument = argument;
    }
  }

  /** Reads the form, refusing what the page could not have sent or that makes no sense. */
  static SharingChoice of(
      String choice, List<String> organizations, String from, String until, HubSites sites)
      throws Invalid {
    if (!ALL.equals(choice) && !NONE.equals(choice) && !EXCEPT.equals(choice)) {
      throw new Invalid("errorChoice", null);
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (String org : organizations == null ? List.<String>of() : organizations) {
      if (org == null || org.isBlank()) {
        continue;
      }
      if (sites.site(org).isEmpty()) {
        throw new Invalid("errorUnknownOrganization", org);
      }
      chosen.add(org);
    }
    if (EXCEPT.equals(choice) && chosen.isEmpty()) {
      throw new Invalid("errorNoOrganization", null);
    }
    LocalDate start = date(from);
    LocalDate end = date(until);
    if (start != null && end != null && end.isBefore(start)) {
      throw new Invalid("errorPeriod", null);
    }
    return new SharingChoice(choice, EXCEPT.equals(choice) ? chosen : Set.of(), start, end);
  }

  private static LocalDate date(String value) throws Invalid {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new Invalid("errorDate", value);
    }
  }

  /** The Consent the choice records for the person under {@code regionalId}. */
  Consent consent(String regionalId, boolean optIn, ZoneId zone) {
    Consent consent = new Consent();
    consent.setStatus(Consent.ConsentState.ACTIVE);
    consent.setScope(
        new CodeableConcept(
            new Coding(ConsentValidator.SCOPE_SYSTEM, ConsentValidator.SCOPE_PRIVACY, null)));
    consent.addCategory(
        new CodeableConcept(
            new Coding(ConsentValidator.LOINC, ConsentValidator.CATEGORY_CODE, null)));
    consent.setPatient(
        new Reference()
            .setIdentifier(
                new Identifier().setSystem(IdentifierSystems.REGIONAL_ID).setValue(regionalId)));
    consent
        .addPolicy()
        .setUri(optIn ? ConsentValidator.POLICY_OPT_IN : ConsentValidator.POLICY_OPT_OUT);
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(
        NONE.equals(choice)
            ? Consent.ConsentProvisionType.DENY
            : Consent.ConsentProvisionType.PERMIT);
    if (from != null || until != null) {
      Period period = new Period();
      if (from != null) {
        period.setStart(Date.from(from.atStartOfDay(zone).toInstant()));
      }
      if (until != null) {
        // "until" is the last day the choice holds: it ends at the start of the next day
        period.setEnd(Date.from(until.plusDays(1).atStartOfDay(zone).toInstant()));
      }
      provision.setPeriod(period);
    }
    if (EXCEPT.equals(choice)) {
      Consent.ProvisionComponent deny = provision.addProvision();
      deny.setType(Consent.ConsentProvisionType.DENY);
      List<String> ordered = new ArrayList<>(organizations);
      for (String org : ordered) {
        deny.addActor()
            .setRole(
                new CodeableConcept(
                    new Coding(
                        "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                        "IRCP",
                        "information recipient")))
            .setReference(new Reference("Organization/" + org));
      }
    }
    return consent;
  }
}
