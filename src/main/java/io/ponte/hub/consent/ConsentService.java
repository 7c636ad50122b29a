package io.ponte.hub.consent;

import static io.ponte.hub.NativeSql.numbered;
import static io.ponte.hub.NativeSql.placeholders;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.fhir.DateParam;
import io.ponte.hub.fhir.FhirJson;
import io.ponte.hub.fhir.SearchBundles;
import io.ponte.hub.fhir.SearchParams;
import io.ponte.hub.site.HubSites;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;

/**
 * Records, reads, searches and revokes Consents. A patient writes only for their own person (any
 * Patient linked to their token's regional id, or the regional id itself); an admin records one
 * from a signed paper form on the patient's behalf, marked as such. Every change and every read is
 * audited, refusals included. Bad input is refused whole: nothing is stored.
 */
@ApplicationScoped
public class ConsentService {

  /** meta.tag system saying who recorded a consent: the patient, or an admin from paper. */
  public static final String SOURCE_SYSTEM = "https://ponte.example/fhir/CodeSystem/consent-source";

  static final Set<String> SUPPORTED =
      Set.of("patient", "patient:identifier", "status", "date", "_count", "_offset");

  /** How far a patient's stated Consent.dateTime may stray from the server's clock. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  @Inject Caller caller;

  @Inject FhirJson json;

  @Inject ConsentValidator validator;

  @Inject PatientResolver resolver;

  @Inject AuditTrail audit;

  @Inject HubDatabase db;

  @Inject SearchBundles bundles;

  @Inject HubSites sites;

  @Inject ConsentDecisions decisions;

  @Inject HeldStudies held;

  /** {@code POST /fhir/Consent} with a FHIR JSON body. */
  @Transactional
  public Consent create(String body) {
    return audit.around(
        audit.about(AuditAction.CREATE, "Consent"),
        record -> {
          Writer writer = requireWriter();
          return store(json.parse(Consent.class, body), writer, record);
        });
  }

  /** The same for a caller that built the Consent itself (the patient portal). */
  @Transactional
  public Consent record(Consent consent) {
    return audit.around(
        audit.about(AuditAction.CREATE, "Consent"),
        record -> store(consent.copy(), requireWriter(), record));
  }

  @Transactional
  public Consent read(String id) {
    return audit.around(
        audit.about(AuditAction.READ, "Consent").query("Consent/" + id),
        record -> {
          Reader reader = requireReader();
          ConsentEntity entity = db.em().find(ConsentEntity.class, id);
          if (entity == null || !reader.sees(entity)) {
            // A patient asking for another person's consent learns nothing, not even that it
            // exists.
            throw new ProblemException(ErrorCode.NOT_FOUND, "no Consent/" + id);
          }
          about(record, entity);
          Consent consent = json.parse(Consent.class, entity.resourceJson);
          return consent;
        });
  }

  /**
   * {@code GET /fhir/Consent?patient=&status=&date=}, newest first. A patient sees their own only.
   */
  @Transactional
  public Bundle search(MultivaluedMap<String, String> query) {
    return audit.around(
        audit.about(AuditAction.SEARCH, "Consent"), record -> search(query, record));
  }

  private Bundle search(MultivaluedMap<String, String> query, AccessAudited.Builder record) {
    Reader reader = requireReader();
    SearchParams params = SearchParams.of(query, SUPPORTED);
    record.query(params.describe());
    StringBuilder where = new StringBuilder("true");
    List<Object> args = new ArrayList<>();
    if (reader.person() != null) {
      personCondition(where, args, reader.person());
    }
    for (String value : params.all("patient")) {
      String ref = value.startsWith("Patient/") ? value : "Patient/" + value;
      personCondition(where, args, resolver.resolve(ref).map(PatientResolver.Named::person));
    }
    for (String value : params.all("patient:identifier")) {
      personCondition(where, args, resolver.resolve(value).map(PatientResolver.Named::person));
    }
    for (String value : params.all("status")) {
      List<String> statuses = SearchParams.orValues(value);
      where.append(" and c.status in (").append(placeholders(statuses.size())).append(')');
      args.addAll(statuses);
    }
    for (String value : params.all("date")) {
      DateParam date = DateParam.parse(value);
      where.append(" and ").append(date.sql("c.consented_at"));
      for (Instant bound : date.bounds()) {
        args.add(bound.atOffset(java.time.ZoneOffset.UTC));
      }
    }
    int count = params.count();
    int offset = params.offset();
    Query q =
        db.em()
            .createNativeQuery(
                numbered(
                    "select c.resource_json, c.id, c.regional_id, c.patient_id from consent c where "
                        + where
                        + " order by c.consented_at desc, c.recorded_at desc, c.id limit ? offset ?"));
    int i = 1;
    for (Object arg : args) {
      q.setParameter(i++, arg);
    }
    q.setParameter(i++, count + 1);
    q.setParameter(i, offset);
    @SuppressWarnings("unchecked")
    List<Object[]> rows = count > 0 ? q.getResultList() : List.of();
    boolean more = rows.size() > count;
    List<Consent> page = new ArrayList<>();
    for (Object[] row : rows.subList(0, Math.min(count, rows.size()))) {
      page.add(json.parse(Consent.class, (String) row[0]));
      record.regionalId((String) row[2]).patientId((String) row[3]);
    }
    record.detail(page.size() + " consents");
    Bundle bundle =
        bundles.searchset(
            "Consent",
            params,
            page,
            more || offset > 0 ? null : (long) page.size(),
            more,
            count,
            offset);
    return bundle;
  }

  /**
   * {@code PUT /fhir/Consent/{id}}: the one change a recorded consent accepts is its revocation,
   * status active → inactive (or, by an admin, entered-in-error). Anything else is a new consent.
   */
  @Transactional
  public Consent update(String id, String body) {
    return audit.around(
        audit.about(AuditAction.UPDATE, "Consent").query("Consent/" + id),
        record -> {
          Writer writer = requireWriter();
          Consent sent = json.parse(Consent.class, body);
          if (sent.hasIdElement() && !id.equals(sent.getIdElement().getIdPart())) {
            throw new ProblemException(
                ErrorCode.BAD_REQUEST, "the body's id does not match Consent/" + id);
          }
          ConsentEntity entity = ownEntity(id, writer);
          about(record, entity);
          Consent stored = json.parse(Consent.class, entity.resourceJson);
          Consent.ConsentState status = sent.getStatus();
          Consent expected = stored.copy();
          expected.setStatus(status);
          if (!sameContent(expected, sent)) {
            throw ConsentValidator.invalid(
                "a recorded consent changes only its status; record a new Consent for a new choice");
          }
          return changeStatus(entity, stored, status, writer, record);
        });
  }

  /** Revokes a consent at once (status inactive): the portal's "withdraw". */
  @Transactional
  public Consent revoke(String id) {
    return audit.around(
        audit.about(AuditAction.UPDATE, "Consent").query("Consent/" + id),
        record -> {
          Writer writer = requireWriter();
          ConsentEntity entity = ownEntity(id, writer);
          about(record, entity);
          Consent stored = json.parse(Consent.class, entity.resourceJson);
          return changeStatus(entity, stored, Consent.ConsentState.INACTIVE, writer, record);
        });
  }

  /**
   * What a person's consents amount to today, per participating organisation: whether a clinician
   * there would see the person's studies held at other sites (the portal's plain-words summary).
   */
  public List<SiteSharing> sharing(Person person) {
    PersonConsents consents = decisions.consentsOf(person);
    Instant now = Instant.now();
    List<SiteSharing> out = new ArrayList<>();
    for (HubSites.Site site : sites.sites()) {
      Decision d =
          ConsentLogic.decide(
              decisions.policy(), new AccessRequest(site.id(), null, null, person, now), consents);
      out.add(new SiteSharing(site.id(), site.name(), d.permitted()));
    }
    return out;
  }

  /** {@link #sharing} of the person under a regional id (a patient token's patient_id). */
  public List<SiteSharing> sharingOf(String regionalId) {
    return sharing(resolver.personOfRegional(regionalId));
  }

  /** One organisation's line of {@link #sharing}. */
  public record SiteSharing(String organization, String name, boolean shared) {}

  private Consent store(Consent consent, Writer writer, AccessAudited.Builder record) {
    if (consent.hasStatus() && consent.getStatus() != Consent.ConsentState.ACTIVE) {
      throw ConsentValidator.invalid(
          "a new Consent is recorded active; revoke an existing one by setting it inactive");
    }
    if (!consent.hasStatus()) {
      throw ConsentValidator.invalid("Consent.status is required (active)");
    }
    ConsentValidator.Rules rules = validator.check(consent);
    Optional<PatientResolver.Named> found = find(consent.getPatient());
    found.ifPresent(
        n -> {
          record.regionalId(n.regionalId()).patientId(n.patientId());
          n.person().patientIds().forEach(record::patientId);
        });
    if (writer.patientRegionalId() != null
        && (found.isEmpty() || !writer.patientRegionalId().equals(found.get().regionalId()))) {
      // One answer whether or not the patient named exists: a patient's token must not tell
      // which identifiers the hub knows. The record says who was named when the hub knows them.
      throw new ProblemException(
          ErrorCode.FORBIDDEN,
          "a patient records consent only for themselves (a Patient linked to their regional id)");
    }
    PatientResolver.Named named = found.orElseThrow(() -> unknown(consent.getPatient()));
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant consentedAt = now;
    if (consent.hasDateTime()) {
      Instant stated = consent.getDateTime().toInstant();
      if (stated.isAfter(now.plus(CLOCK_SKEW))) {
        throw ConsentValidator.invalid("Consent.dateTime is in the future");
      }
      if (writer.paper()) {
        consentedAt = stated; // the date the paper form was signed
      } else if (stated.isBefore(now.minus(CLOCK_SKEW))) {
        throw ConsentValidator.invalid(
            "Consent.dateTime is when the patient consents: now, or leave it out");
      }
    }
    for (String site : rules.deniedSources()) {
      if (!hasStudiesAt(named.person(), site)) {
        throw ConsentValidator.invalid(
            "the patient has no studies held at " + site + " to deny; nothing was recorded");
      }
    }
    ConsentEntity entity = new ConsentEntity();
    entity.id = UUID.randomUUID().toString();
    entity.regionalId = named.regionalId();
    entity.patientId = named.patientId();
    entity.status = ConsentEntity.ACTIVE;
    entity.consentedAt = consentedAt;
    entity.rules = StoredRules.write(rules.base(), rules.exceptions());
    entity.source = writer.paper() ? "paper" : "patient";
    entity.recordedBy = caller.username();
    entity.recordedAt = now;
    entity.versionId = 1;
    entity.lastUpdated = now;
    consent.setId(entity.id);
    consent.setMeta(null);
    consent.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
    consent
        .getMeta()
        .addTag(
            SOURCE_SYSTEM,
            entity.source,
            writer.paper()
                ? "recorded by " + entity.recordedBy + " from the patient's signed form"
                : "recorded by the patient");
    consent.setDateTime(Date.from(consentedAt));
    if (!consent.hasPerformer()) {
      consent.addPerformer(new Reference(consent.getPatient().getReference()));
      if (!consent.getPerformerFirstRep().hasReference()) {
        consent.getPerformerFirstRep().setIdentifier(consent.getPatient().getIdentifier());
      }
    }
    entity.resourceJson = json.serialize(consent);
    db.em().persist(entity);
    db.em().flush();
    record
        .query("Consent/" + entity.id)
        .detail(
            (writer.paper() ? "paper consent recorded by " + entity.recordedBy + ": " : "")
                + describe(rules));
    return consent;
  }

  private Consent changeStatus(
      ConsentEntity entity,
      Consent stored,
      Consent.ConsentState status,
      Writer writer,
      AccessAudited.Builder record) {
    if (!ConsentEntity.ACTIVE.equals(entity.status)) {
      throw new ProblemException(
          ErrorCode.CONFLICT, "Consent/" + entity.id + " is already " + entity.status);
    }
    if (status != Consent.ConsentState.INACTIVE
        && !(status == Consent.ConsentState.ENTEREDINERROR && writer.paper())) {
      throw ConsentValidator.invalid(
          "a consent is revoked by setting its status to inactive"
              + (writer.paper() ? " (or entered-in-error)" : ""));
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    entity.status = status.toCode();
    entity.versionId++;
    entity.lastUpdated = now;
    stored.setStatus(status);
    stored
        .getMeta()
        .setVersionId(Integer.toString(entity.versionId))
        .setLastUpdated(Date.from(now));
    entity.resourceJson = json.serialize(stored);
    db.em().flush();
    record.detail("status " + ConsentEntity.ACTIVE + " -> " + entity.status);
    return stored;
  }

  private ConsentEntity ownEntity(String id, Writer writer) {
    ConsentEntity entity = db.em().find(ConsentEntity.class, id);
    if (entity == null) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "no Consent/" + id);
    }
    if (writer.patientRegionalId() != null) {
      Person mine = resolver.personOfRegional(writer.patientRegionalId());
      if (!sees(mine, entity)) {
        throw new ProblemException(ErrorCode.NOT_FOUND, "no Consent/" + id);
      }
    }
    return entity;
  }

  /** The patient a Consent names, if the hub knows them. */
  private Optional<PatientResolver.Named> find(Reference patient) {
    if (patient.hasReference()) {
      String given = patient.getReference();
      return given.startsWith("Patient/") ? resolver.resolve(given) : Optional.empty();
    }
    if (patient.hasIdentifier()) {
      return resolver.byIdentifier(
          patient.getIdentifier().getSystem(), patient.getIdentifier().getValue());
    }
    return Optional.empty();
  }

  private static ProblemException unknown(Reference patient) {
    String given =
        patient.hasReference()
            ? patient.getReference()
            : patient.hasIdentifier()
                ? patient.getIdentifier().getSystem() + "|" + patient.getIdentifier().getValue()
                : "(empty reference)";
    return ConsentValidator.invalid(
        "Consent.patient "
            + given
            + " is not a patient known to the hub (Patient/<id>, a site's identifier, or "
            + IdentifierSystems.REGIONAL_ID
            + "|<regional id>)");
  }

  private boolean hasStudiesAt(Person person, String site) {
    return !person.patientIds().isEmpty() && held.anyAt(site, person.patientIds());
  }

  private static boolean sameContent(Consent a, Consent b) {
    Consent x = a.copy();
    Consent y = b.copy();
    for (Consent c : List.of(x, y)) {
      c.setMeta(null);
      c.setId((String) null);
      c.setText(null);
    }
    return x.equalsDeep(y);
  }

  private static void about(AccessAudited.Builder record, ConsentEntity entity) {
    record.regionalId(entity.regionalId).patientId(entity.patientId);
  }

  private static String describe(ConsentValidator.Rules rules) {
    StringBuilder out = new StringBuilder(describe(rules.base()));
    rules.exceptions().forEach(r -> out.append("; except ").append(describe(r)));
    return out.toString();
  }

  private static String describe(ConsentRule r) {
    return (r.permit() ? "permit" : "deny")
        + (r.actors().isEmpty() ? " all" : " " + r.actors())
        + (r.sources().isEmpty() ? "" : " studies at " + r.sources())
        + (r.start() == null && r.end() == null ? "" : " from " + r.start() + " to " + r.end());
  }

  private static void personCondition(StringBuilder where, List<Object> args, Person person) {
    where.append(" and (c.regional_id = ?");
    args.add(person.regionalId() == null ? "" : person.regionalId());
    if (!person.patientIds().isEmpty()) {
      where
          .append(" or c.patient_id in (")
          .append(placeholders(person.patientIds().size()))
          .append(')');
      args.addAll(person.patientIds());
    }
    where.append(')');
  }

  private static void personCondition(
      StringBuilder where, List<Object> args, Optional<Person> person) {
    if (person.isEmpty()) {
      where.append(" and false");
    } else {
      personCondition(where, args, person.get());
    }
  }

  static boolean sees(Person person, ConsentEntity entity) {
    return (entity.regionalId != null && entity.regionalId.equals(person.regionalId()))
        || (entity.patientId != null && person.patientIds().contains(entity.patientId));
  }

  /** Who may write: a patient (for their own person) or an admin (from paper). */
  private record Writer(String patientRegionalId, boolean paper) {}

  private Writer requireWriter() {
    if (caller.hasRole(Roles.PATIENT)) {
      return new Writer(caller.requirePatientId(), false);
    }
    if (caller.hasRole(Roles.ADMIN)) {
      return new Writer(null, true);
    }
    throw new ProblemException(
        ErrorCode.FORBIDDEN,
        "consents are recorded by the patient, or by an admin from the patient's signed form");
  }

  /** Who may read: the patient (own person only), the authority and admins (all). */
  private record Reader(Person person) {
    boolean sees(ConsentEntity entity) {
      return person == null || ConsentService.sees(person, entity);
    }
  }

  private Reader requireReader() {
    if (caller.hasRole(Roles.PATIENT)) {
      String regional = caller.requirePatientId();
      return new Reader(resolver.personOfRegional(regional));
    }
    if (caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.AUTHORITY)) {
      return new Reader(null);
    }
    throw new ProblemException(
        ErrorCode.FORBIDDEN,
        "consents are read by the patient, the authority and admins; clinicians get decisions");
  }
}
