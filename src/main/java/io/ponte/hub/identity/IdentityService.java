package io.ponte.hub.identity;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.site.HubSites;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import io.ponte.text.NameFolding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The hub's patient index: one Patient per local identifier, and the links that make several of
 * them one person. Links here are deterministic (stated by an admin); scored matching comes later
 * on the same tables.
 */
@ApplicationScoped
public class IdentityService {

  public static final Pattern REGIONAL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]{0,63}");
  static final int MAX_VALUE = 128;

  @Inject HubDatabase db;

  @Inject PatientRepository patients;

  @Inject HubSites sites;

  @Inject AuditTrail audit;

  @Inject Caller caller;

  @Inject MatchConfig matchConfig;

  @Inject PatientMatcher matcher;

  @Inject LinkWriter linkWriter;

  @Inject PatientNameVariants nameVariants;

  /**
   * A node published a study of this local patient: the Patient is created or its demographics
   * refreshed, and a patient not yet linked to a person is linked when it can be. By a regional
   * identifier the node states ({@code regionalId}, from the published Patient's identifiers:
   * deterministic), else by the scored matcher when the patient is new or newly described.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public PatientEntity registerPublished(
      String siteId, LocalIdentifier identifier, Demographics demographics, String regionalId) {
    PatientEntity before =
        patients.findByIdentifier(identifier.system(), identifier.value()).orElse(null);
    boolean described =
        demographics != Demographics.NONE && (before == null || !demographics.sameAs(before));
    boolean unlinked = before == null || regionalIdOf(before.id).isEmpty();
    boolean match = matchConfig.enabled() && described && unlinked && regionalId == null;
    if (match) {
      matcher.lock();
    }
    PatientEntity patient = ensurePatient(siteId, identifier, demographics);
    if (regionalId != null && unlinked && regionalIdOf(patient.id).isEmpty()) {
      linkStated(patient, regionalId);
    } else if (match && regionalIdOf(patient.id).isEmpty()) {
      matcher.match(patient);
    }
    return patient;
  }

  /** The node named the patient's regional id: linked as stated (deterministic), audited. */
  private void linkStated(PatientEntity patient, String regionalId) {
    if (!REGIONAL_ID.matcher(regionalId).matches()) {
      throw new ProblemException(
          ErrorCode.INVALID_RESOURCE,
          "the patient's regional identifier is 1-64 letters, digits, '.' or '-'");
    }
    audit.around(
        audit
            .about(AuditAction.IDENTITY_LINK, "Patient")
            .patientId(patient.id)
            .patientIdentifier(patient.identifier().token())
            .regionalId(regionalId)
            .query("regional identifier stated by the publishing site"),
        record -> {
          linkWriter.lockPerson(regionalId);
          linkWriter.link(
              patient,
              regionalId,
              IdentityLinkEntity.DETERMINISTIC,
              null,
              caller.username(),
              "regional identifier in the published Patient",
              Instant.now());
          return regionalId;
        });
  }

  /** The demographics a Patient row holds. */
  static Demographics demographicsOf(PatientEntity p) {
    return new Demographics(p.familyName, p.givenNames, p.birthDate, p.gender);
  }

  /**
   * The local patient of this identifier, created (race-free) if new; demographics refreshed when
   * they changed, and its other names' search keys whenever demographics are given.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public PatientEntity ensurePatient(
      String siteId, LocalIdentifier identifier, Demographics demographics) {
    Instant now = Instant.now();
    int created =
        db.em()
            .createNativeQuery(
                "insert into patient (id, site_id, identifier_system, identifier_value, family_name,"
                    + " given_names, birth_date, gender, version_id, last_updated, name_search)"
                    + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10)"
                    + " on conflict (identifier_system, identifier_value) do nothing")
            .setParameter(1, UUID.randomUUID().toString())
            .setParameter(2, siteId)
            .setParameter(3, identifier.system())
            .setParameter(4, identifier.value())
            .setParameter(5, demographics.family())
            .setParameter(6, demographics.given())
            .setParameter(7, demographics.birthDate())
            .setParameter(8, demographics.gender())
            .setParameter(9, now)
            .setParameter(10, NameFolding.key(demographics.family(), demographics.given()))
            .executeUpdate();
    PatientEntity patient =
        patients
            .findByIdentifier(identifier.system(), identifier.value())
            .orElseThrow(() -> new IllegalStateException("patient row vanished after upsert"));
    if (demographics == Demographics.NONE) {
      return patient;
    }
    boolean changed = !demographics.sameAs(patient);
    if (changed) {
      patient.familyName = demographics.family();
      patient.givenNames = demographics.given();
      patient.nameSearch = NameFolding.key(patient.familyName, patient.givenNames);
      patient.birthDate = demographics.birthDate();
      patient.gender = demographics.gender();
    }
    // The other names are part of the FHIR Patient the hub answers: a new version when they change.
    // A Patient just created is version 1 with them, and has none to compare or remove.
    boolean otherNamesChanged;
    if (created == 1) {
      nameVariants.add(patient.id, demographics.otherNames());
      otherNamesChanged = false;
    } else {
      otherNamesChanged = nameVariants.replace(patient.id, demographics.otherNames());
    }
    if (changed || otherNamesChanged) {
      patient.versionId++;
      patient.lastUpdated = now;
    }
    return patient;
  }

  public Optional<String> regionalIdOf(String patientId) {
    IdentityLinkEntity link = db.em().find(IdentityLinkEntity.class, patientId);
    return Optional.ofNullable(link).map(l -> l.regionalId);
  }

  /**
   * The regional id as issued for one a person typed: sites and admins state ids in their own case
   * (the matcher's are REG-M…), and people type them in any case, with spaces around. The id issued
   * exactly as typed wins; else the one equal to it ignoring case; none when several are (no guess
   * at which person was meant). Served by V101's index on {@code upper(regional_id)}.
   */
  public Optional<String> issuedRegionalId(String typed) {
    String value = typed == null ? "" : typed.strip();
    List<String> issued =
        db.em()
            .createQuery(
                "select r.regionalId from RegionalPersonEntity r"
                    + " where upper(r.regionalId) = upper(?1)",
                String.class)
            .setParameter(1, value)
            .getResultList();
    if (issued.contains(value)) {
      return Optional.of(value);
    }
    return issued.size() == 1 ? Optional.of(issued.get(0)) : Optional.empty();
  }

  /** The hub Patient ids linked under a regional id (none when it is unknown). */
  public List<String> patientIdsOf(String regionalId) {
    return db.em()
        .createQuery(
            "select l.patientId from IdentityLinkEntity l where l.regionalId = ?1 order by l.patientId",
            String.class)
        .setParameter(1, regionalId)
        .getResultList();
  }

  /**
   * What PIXm answers for a source identifier: the patient it names (null when it names a regional
   * id), its person's regional id (null when unlinked) and every local patient of that person.
   */
  public record CrossReference(PatientEntity source, String regionalId, List<PatientEntity> all) {}

  /**
   * The cross-reference of a local identifier or a regional id ({@code urn:ponte:regional-id});
   * empty when the hub knows neither.
   */
  public Optional<CrossReference> crossReference(LocalIdentifier identifier) {
    if (io.ponte.fhir.IdentifierSystems.REGIONAL_ID.equals(identifier.system())) {
      if (db.em().find(RegionalPersonEntity.class, identifier.value()) == null) {
        return Optional.empty();
      }
      return Optional.of(
          new CrossReference(null, identifier.value(), patientsOf(identifier.value())));
    }
    Optional<PatientEntity> source =
        patients.findByIdentifier(identifier.system(), identifier.value());
    if (source.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> regional = regionalIdOf(source.get().id);
    return Optional.of(
        new CrossReference(
            source.get(),
            regional.orElse(null),
            regional.map(this::patientsOf).orElse(List.of(source.get()))));
  }

  private List<PatientEntity> patientsOf(String regionalId) {
    return db.em()
        .createQuery(
            "select p from PatientEntity p, IdentityLinkEntity l where l.regionalId = ?1"
                + " and p.id = l.patientId order by p.identifierSystem, p.identifierValue",
            PatientEntity.class)
        .setParameter(1, regionalId)
        .getResultList();
  }

  /**
   * The other names (ideographic, phonetic component groups of the DICOM name, as published) of
   * each of {@code patientIds} that has any, by representation.
   */
  @Transactional
  public Map<String, List<Demographics.Name>> otherNamesOf(Collection<String> patientIds) {
    return nameVariants.held(patientIds);
  }

  /**
   * The local patients of the person of each of {@code patientIds} (itself included, by id), keyed
   * by those ids; an unlinked patient has no entry. One query for a whole search page, which also
   * names each record's Patient.link (so no query per row).
   */
  public Map<String, List<PatientEntity>> personsOf(Collection<String> patientIds) {
    if (patientIds.isEmpty()) {
      return Map.of();
    }
    List<Object[]> rows =
        db.em()
            .createQuery(
                "select l1.patientId, p from PatientEntity p, IdentityLinkEntity l1,"
                    + " IdentityLinkEntity l2 where l1.patientId in ?1"
                    + " and l2.regionalId = l1.regionalId and p.id = l2.patientId"
                    + " order by l1.patientId, p.id",
                Object[].class)
            .setParameter(1, patientIds)
            .getResultList();
    Map<String, List<PatientEntity>> persons = new LinkedHashMap<>();
    for (Object[] row : rows) {
      persons.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((PatientEntity) row[1]);
    }
    return persons;
  }

  /** Current links of a regional id (admin). */
  @Transactional
  public LinkSet links(String regionalId) {
    return audit.around(
        audit
            .about(AuditAction.IDENTITY_LINK, "Patient")
            .regionalId(regionalId)
            .query("read links"),
        record -> {
          if (!caller.hasRole(Roles.ADMIN) && !caller.hasRole(Roles.AUTHORITY)) {
            throw new ProblemException(
                ErrorCode.FORBIDDEN, "only the authority or an admin may read identity links");
          }
          LinkSet result = describe(regionalId);
          result.identifiers().forEach(i -> record.patientIdentifier(i.system() + "|" + i.value()));
          return result;
        });
  }

  /**
   * Makes exactly these identifiers the regional id's links: new ones are linked (their Patient
   * created if no study has named it yet), missing ones unlinked. An identifier linked to another
   * regional id is a conflict: unlink it there first, so that a typo cannot silently move a
   * patient's studies to another person.
   */
  @Transactional
  public LinkSet replaceLinks(String regionalId, List<LocalIdentifier> identifiers) {
    return audit.around(
        audit.about(AuditAction.IDENTITY_LINK, "Patient").regionalId(regionalId),
        record -> replaceLinks(regionalId, identifiers, record));
  }

  private LinkSet replaceLinks(
      String regionalId, List<LocalIdentifier> identifiers, AccessAudited.Builder record) {
    requireAdmin();
    if (regionalId == null || !REGIONAL_ID.matcher(regionalId).matches()) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "a regional id is 1-64 letters, digits, '.' or '-'");
    }
    Set<LocalIdentifier> wanted = new LinkedHashSet<>();
    for (LocalIdentifier identifier :
        identifiers == null ? List.<LocalIdentifier>of() : identifiers) {
      wanted.add(checked(identifier));
    }
    wanted.forEach(i -> record.patientIdentifier(i.token()));
    linkWriter.lockPerson(regionalId);
    Instant now = Instant.now();
    linkWriter.ensurePerson(regionalId, now);
    List<String> linked = new ArrayList<>();
    List<String> moved = new ArrayList<>();
    Set<String> keep = new LinkedHashSet<>();
    String by = caller.username();
    for (LocalIdentifier identifier : wanted) {
      String siteId = sites.siteOfPatientSystem(identifier.system()).orElseThrow().id();
      PatientEntity patient = ensurePatient(siteId, identifier, Demographics.NONE);
      keep.add(patient.id);
      record.patientId(patient.id);
      IdentityLinkEntity link = db.em().find(IdentityLinkEntity.class, patient.id);
      if (link != null && !link.regionalId.equals(regionalId)) {
        if (!LinkWriter.SCORED.equals(link.method)) {
          throw new ProblemException(
              ErrorCode.CONFLICT,
              "identifier "
                  + identifier.token()
                  + " is linked to another regional id; unlink it there first");
        }
        // The matcher's guess yields to a person's statement (kept in the history).
        record.regionalId(link.regionalId);
        linkWriter.unlink(link, by, "moved to " + regionalId + " by an admin", now);
        moved.add(identifier.token() + " from " + link.regionalId);
        link = null;
      }
      if (link == null) {
        linkWriter.link(
            patient,
            regionalId,
            IdentityLinkEntity.DETERMINISTIC,
            null,
            by,
            "stated by an admin",
            now);
        linked.add(identifier.token());
      }
    }
    List<String> unlinked = new ArrayList<>();
    for (IdentityLinkEntity link :
        db.em()
            .createQuery("from IdentityLinkEntity where regionalId = ?1", IdentityLinkEntity.class)
            .setParameter(1, regionalId)
            .getResultList()) {
      if (!keep.contains(link.patientId)) {
        PatientEntity patient = db.em().find(PatientEntity.class, link.patientId);
        unlinked.add(patient.identifier().token());
        record.patientId(patient.id);
        linkWriter.unlink(link, by, "left out of the links an admin stated", now);
      }
    }
    db.em().flush();
    record.detail(
        "linked "
            + linked
            + "; unlinked "
            + unlinked
            + (moved.isEmpty() ? "" : "; moved " + moved));
    LinkSet result = describe(regionalId);
    return result;
  }

  LinkSet describe(String regionalId) {
    List<LinkSet.Linked> linked =
        db
            .em()
            .createQuery(
                "select p from PatientEntity p, IdentityLinkEntity l"
                    + " where l.regionalId = ?1 and p.id = l.patientId order by p.identifierSystem, p.identifierValue",
                PatientEntity.class)
            .setParameter(1, regionalId)
            .getResultList()
            .stream()
            .map(p -> new LinkSet.Linked(p.identifierSystem, p.identifierValue, p.id, p.siteId))
            .toList();
    return new LinkSet(regionalId, linked);
  }

  private LocalIdentifier checked(LocalIdentifier identifier) {
    if (identifier == null
        || identifier.system() == null
        || identifier.value() == null
        || identifier.value().isBlank()
        || identifier.value().length() > MAX_VALUE) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST,
          "each identifier needs a system and a value (at most " + MAX_VALUE + " characters)");
    }
    if (sites.siteOfPatientSystem(identifier.system()).isEmpty()) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST,
          "identifier system "
              + identifier.system()
              + " is not the patient identifier system of a federated site");
    }
    return new LocalIdentifier(identifier.system(), identifier.value().trim());
  }

  private void requireAdmin() {
    if (!caller.hasRole(Roles.ADMIN)) {
      throw new ProblemException(ErrorCode.FORBIDDEN, "only an admin may change identity links");
    }
  }
}
