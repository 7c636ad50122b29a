package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.consent.ConsentDecisions;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.fhir.SearchBundles;
import io.ponte.hub.fhir.SearchParams;
import io.ponte.hub.identity.IdentityService;
import io.ponte.hub.identity.PatientEntity;
import io.ponte.hub.identity.PatientRepository;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Clinicians look up the hub's Patients (one per local identifier) by identifier; reads and
 * searches are audited.
 */
@ApplicationScoped
public class PatientReader {

  static final Set<String> SUPPORTED = Set.of("identifier", "_count", "_offset");

  @Inject RegistryAccess access;

  @Inject PatientRepository patients;

  @Inject IdentityService identity;

  @Inject SearchBundles bundles;

  @Inject AuditTrail audit;

  @Inject ConsentEnforcement consent;

  @Transactional
  public Patient read(String id) {
    return audit.around(
        audit.about(AuditAction.READ, "Patient").query("Patient/" + id).patientId(id),
        record -> {
          access.requirePatientReader();
          PatientEntity entity = patients.findById(id);
          if (entity == null) {
            throw new ProblemException(ErrorCode.NOT_FOUND, "no Patient/" + id);
          }
          record.patientIdentifier(entity.identifier().token());
          identity.regionalIdOf(id).ifPresent(record::regionalId);
          consent.requireAccess(entity.id, entity.siteId, null, record);
          Patient patient = toFhir(entity);
          return patient;
        });
  }

  @Transactional
  public Bundle search(MultivaluedMap<String, String> query) {
    return audit.around(
        audit.about(AuditAction.SEARCH, "Patient"), record -> search(query, record));
  }

  private Bundle search(MultivaluedMap<String, String> query, AccessAudited.Builder record) {
    access.requirePatientReader();
    SearchParams params = SearchParams.of(query, SUPPORTED);
    record.query(params.describe());
    if (!params.has("identifier")) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "Patient search needs identifier=system|value");
    }
    StringBuilder where = new StringBuilder("true");
    List<Object> args = new ArrayList<>();
    for (String value : params.all("identifier")) {
      List<String> ors = new ArrayList<>();
      for (String raw : SearchParams.orValues(value)) {
        SearchParams.Token token = SearchParams.Token.parse(raw);
        record.patientIdentifier(raw);
        if (token.anySystem()) {
          args.add(token.code());
          ors.add("identifierValue = ?" + args.size());
        } else if (token.system() == null) {
          ors.add("false");
        } else {
          args.add(token.system());
          ors.add("(identifierSystem = ?" + args.size());
          args.add(token.code());
          ors.set(
              ors.size() - 1,
              ors.get(ors.size() - 1) + " and identifierValue = ?" + args.size() + ")");
        }
      }
      where.append(" and (").append(String.join(" or ", ors)).append(')');
    }
    int count = params.count();
    int offset = params.offset();
    var found =
        patients.find(where + " order by identifierSystem, identifierValue", args.toArray());
    long total = found.count();
    List<Patient> page = new ArrayList<>();
    ConsentEnforcement.Filter filter = ConsentEnforcement.Filter.NONE;
    if (count > 0) {
      // offset is a multiple of count in the links we hand out; a client's own offset is rounded
      // down.
      List<PatientEntity> rows = found.page(Page.of(offset / count, count)).list();
      filter =
          consent.filter(
              rows.stream().map(p -> new ConsentDecisions.Subject(p.id, p.id, p.siteId)).toList());
      for (PatientEntity p : rows) {
        if (filter.shows(p.id)) {
          record.patientId(p.id);
          page.add(toFhir(p));
        }
      }
    }
    int start = count > 0 ? offset / count * count : 0;
    Bundle bundle =
        bundles.searchset(
            "Patient",
            params,
            page,
            filter.filtered() ? null : total, // a total would tell how many were withheld
            start + count < total,
            count,
            start);
    if (filter.filtered()) {
      ConsentEnforcement.warnFiltered(bundle);
    }
    return bundle;
  }

  Patient toFhir(PatientEntity e) {
    Patient p = new Patient();
    p.setId(e.id);
    p.getMeta()
        .setVersionId(Integer.toString(e.versionId))
        .setLastUpdated(Date.from(e.lastUpdated));
    p.addIdentifier()
        .setSystem(e.identifierSystem)
        .setValue(e.identifierValue)
        .setAssigner(new Reference("Organization/" + e.siteId));
    if (e.familyName != null || e.givenNames != null) {
      HumanName name = p.addName();
      name.setFamily(e.familyName);
      if (e.givenNames != null) {
        for (String given : e.givenNames.split(" ")) {
          if (!given.isBlank()) {
            name.addGiven(given);
          }
        }
      }
    }
    if (e.gender != null) {
      p.setGender(AdministrativeGender.fromCode(e.gender));
    }
    if (e.birthDate != null) {
      p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(e.birthDate.toString()));
    }
    p.setManagingOrganization(new Reference("Organization/" + e.siteId));
    for (PatientEntity other : identity.linkedPatients(e.id)) {
      p.addLink()
          .setType(Patient.LinkType.SEEALSO)
          .setOther(
              new Reference("Patient/" + other.id)
                  .setDisplay(other.identifierSystem + "|" + other.identifierValue));
    }
    return p;
  }
}
