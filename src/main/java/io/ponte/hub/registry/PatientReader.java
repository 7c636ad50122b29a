package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.IdentifierSystems;
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
import io.ponte.text.NameFolding;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Clinicians look up the hub's Patients (one per local identifier) by identifier or demographics
 * (PDQm: name, family, given, birthdate, gender; names match with accents and case folded, so every
 * hospital's spelling is found); reads and searches are audited.
 */
@ApplicationScoped
public class PatientReader {

  /** The PDQm search parameters (ITI-78) the hub answers, and paging. */
  static final Set<String> SUPPORTED =
      Set.of("identifier", "name", "family", "given", "birthdate", "gender", "_count", "_offset");

  private static final Set<String> CRITERIA =
      Set.of("identifier", "name", "family", "given", "birthdate", "gender");

  private static final Set<String> GENDERS = Set.of("male", "female", "other", "unknown");

  private static final Pattern BIRTH_DATE =
      Pattern.compile("(eq)?(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?");

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
    if (CRITERIA.stream().noneMatch(params::has)) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST,
          "Patient search needs identifier=system|value, name, family, given, birthdate or"
              + " gender");
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
        } else if (IdentifierSystems.REGIONAL_ID.equals(token.system())) {
          // The person's regional id finds every local Patient linked under it.
          args.add(token.code());
          ors.add(
              "id in (select l.patientId from IdentityLinkEntity l where l.regionalId = ?"
                  + args.size()
                  + ")");
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
    // FHIR string search: starts with, case and accents ignored (the folded key); name matches the
    // start of any word of the family or given names.
    nameCondition(
        params,
        "name",
        "(' ' || replace(nameSearch, '^', ' ')) like ?%d escape '!'",
        "% ",
        where,
        args);
    nameCondition(params, "family", "nameSearch like ?%d escape '!'", "", where, args);
    nameCondition(
        params,
        "given",
        "(' ' || substring(nameSearch, locate('^', nameSearch) + 1))" + " like ?%d escape '!'",
        "% ",
        where,
        args);
    for (String value : params.all("birthdate")) {
      LocalDate[] range = birthDateRange(value);
      args.add(range[0]);
      where.append(" and birthDate >= ?").append(args.size());
      args.add(range[1]);
      where.append(" and birthDate < ?").append(args.size());
    }
    for (String value : params.all("gender")) {
      List<String> ors = new ArrayList<>();
      for (String raw : SearchParams.orValues(value)) {
        String code = SearchParams.Token.parse(raw).code();
        if (!GENDERS.contains(code)) {
          throw new ProblemException(
              ErrorCode.BAD_REQUEST, "gender is one of male, female, other, unknown");
        }
        args.add(code);
        ors.add("gender = ?" + args.size());
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

  /**
   * Each value of {@code name} is a comma-separated OR of strings, each folded and matched with
   * {@code condition} (a JPQL template whose %d is the parameter's position) as {@code lead + value
   * + "%"}.
   */
  private static void nameCondition(
      SearchParams params,
      String name,
      String condition,
      String lead,
      StringBuilder where,
      List<Object> args) {
    for (String value : params.all(name)) {
      List<String> ors = new ArrayList<>();
      for (String raw : SearchParams.orValues(value)) {
        String folded = NameFolding.fold(raw.trim());
        args.add(lead + likeLiteral(folded) + "%");
        ors.add(String.format(condition, args.size()));
      }
      where.append(" and (").append(String.join(" or ", ors)).append(')');
    }
  }

  /** {@code value} literally in a LIKE pattern (escape character '!'). */
  private static String likeLiteral(String value) {
    return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  /** A FHIR date (YYYY, YYYY-MM or YYYY-MM-DD, optionally {@code eq}) as [first day, day after). */
  static LocalDate[] birthDateRange(String value) {
    Matcher m = BIRTH_DATE.matcher(value);
    try {
      if (m.matches()) {
        int year = Integer.parseInt(m.group(2));
        if (m.group(3) == null) {
          LocalDate from = LocalDate.of(year, 1, 1);
          return new LocalDate[] {from, from.plusYears(1)};
        }
        int month = Integer.parseInt(m.group(3));
        if (m.group(4) == null) {
          LocalDate from = LocalDate.of(year, month, 1);
          return new LocalDate[] {from, from.plusMonths(1)};
        }
        LocalDate day = LocalDate.of(year, month, Integer.parseInt(m.group(4)));
        return new LocalDate[] {day, day.plusDays(1)};
      }
    } catch (java.time.DateTimeException e) {
      // falls through to the error below
    }
    throw new ProblemException(
        ErrorCode.BAD_REQUEST,
        "birthdate takes a date (YYYY, YYYY-MM or YYYY-MM-DD, optionally with eq): "
            + io.ponte.error.ErrorDetails.quote(value));
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
