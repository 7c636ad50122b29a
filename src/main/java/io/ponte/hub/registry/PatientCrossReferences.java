package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.consent.ConsentDecisions;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.identity.IdentityService;
import io.ponte.hub.identity.LocalIdentifier;
import io.ponte.hub.identity.PatientEntity;
import io.ponte.hub.site.HubSites;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import io.ponte.security.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;

/**
 * IHE PIXm Get Corresponding Identifiers (ITI-83), {@code GET /fhir/Patient/$ihe-pix}: the other
 * identifiers of the person a source identifier names, as a {@code Parameters} resource with one
 * {@code targetIdentifier} (and, for a hub Patient, one {@code targetId}) per identifier. Errors as
 * the profile says: an unknown source domain 400 ("sourceIdentifier Assigning Authority not
 * found"), an unknown source identifier 404 ("sourceIdentifier Patient Identifier not found"), an
 * unknown target domain 403 ("targetSystem not found"). For clinicians (who see only what the
 * patients' consent lets their organisation see: withheld identifiers are left out), the authority
 * and admins; audited as a search.
 */
@ApplicationScoped
public class PatientCrossReferences {

  @Inject RegistryAccess access;

  @Inject Caller caller;

  @Inject HubSites sites;

  @Inject IdentityService identity;

  @Inject ConsentEnforcement consent;

  @Inject AuditTrail audit;

  @Transactional
  public Parameters pix(List<String> sourceIdentifiers, List<String> targetSystems) {
    return audit.around(
        audit
            .about(AuditAction.SEARCH, "Patient")
            .query(
                "$ihe-pix sourceIdentifier="
                    + String.join(",", sourceIdentifiers)
                    + (targetSystems.isEmpty()
                        ? ""
                        : " targetSystem=" + String.join(",", targetSystems))),
        record -> {
          requireReader();
          if (sourceIdentifiers.size() != 1) {
            throw bad("sourceIdentifier (system|value) is required, once");
          }
          LocalIdentifier source = token(sourceIdentifiers.get(0));
          record.patientIdentifier(source.token());
          if (!known(source.system())) {
            throw bad("sourceIdentifier Assigning Authority not found");
          }
          Set<String> targets = new LinkedHashSet<>();
          for (String value : targetSystems) {
            for (String system : value.split(",")) {
              if (system.isBlank()) {
                throw bad("targetSystem must not be empty");
              }
              if (!known(system.trim())) {
                throw new ProblemException(ErrorCode.FORBIDDEN, "targetSystem not found");
              }
              targets.add(system.trim());
            }
          }
          IdentityService.CrossReference found =
              identity
                  .crossReference(source)
                  .orElseThrow(
                      () ->
                          new ProblemException(
                              ErrorCode.NOT_FOUND,
                              "sourceIdentifier Patient Identifier not found"));
          if (found.regionalId() != null) {
            record.regionalId(found.regionalId());
          }
          ConsentEnforcement.Filter filter =
              consent.filter(
                  found.all().stream()
                      .map(p -> new ConsentDecisions.Subject(p.id, p.id, p.siteId))
                      .toList());
          Parameters out = new Parameters();
          for (PatientEntity p : found.all()) {
            if (found.source() != null && p.id.equals(found.source().id)) {
              continue;
            }
            if (!filter.shows(p.id)
                || (!targets.isEmpty() && !targets.contains(p.identifierSystem))) {
              continue;
            }
            record.patientId(p.id);
            out.addParameter()
                .setName("targetIdentifier")
                .setValue(
                    new Identifier().setSystem(p.identifierSystem).setValue(p.identifierValue));
            out.addParameter().setName("targetId").setValue(new Reference("Patient/" + p.id));
          }
          boolean regionalAsked =
              targets.isEmpty() || targets.contains(IdentifierSystems.REGIONAL_ID);
          // The regional id ties the record asked about to the person: not for a record withheld.
          if (found.regionalId() != null
              && found.source() != null
              && filter.shows(found.source().id)
              && regionalAsked) {
            out.addParameter()
                .setName("targetIdentifier")
                .setValue(
                    new Identifier()
                        .setSystem(IdentifierSystems.REGIONAL_ID)
                        .setValue(found.regionalId()));
          }
          return out;
        });
  }

  private void requireReader() {
    if (caller.hasRole(Roles.CLINICIAN)) {
      access.requirePatientReader();
      return;
    }
    if (caller.hasRole(Roles.AUTHORITY) || caller.hasRole(Roles.ADMIN)) {
      caller.requireScope(Scopes.USER_PATIENT_READ);
      return;
    }
    throw new ProblemException(
        ErrorCode.FORBIDDEN, "$ihe-pix needs the clinician, authority or admin role");
  }

  /** A site's patient identifier system, or the regional id's. */
  private boolean known(String system) {
    return IdentifierSystems.REGIONAL_ID.equals(system)
        || sites.siteOfPatientSystem(system).isPresent();
  }

  private static LocalIdentifier token(String raw) {
    int bar = raw.indexOf('|');
    if (bar <= 0 || bar == raw.length() - 1 || raw.length() > 400) {
      throw bad("sourceIdentifier is system|value (both required)");
    }
    return new LocalIdentifier(raw.substring(0, bar), raw.substring(bar + 1).trim());
  }

  private static ProblemException bad(String detail) {
    return new ProblemException(ErrorCode.BAD_REQUEST, detail);
  }
}
