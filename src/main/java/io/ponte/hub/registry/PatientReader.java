package io.ponte.hub.registry;

import static io.ponte.hub.NativeSql.numbered;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.fhir.PublishedResources;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.consent.ConsentDecisions;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.consent.SearchScope;
import io.ponte.hub.fhir.SearchBundles;
import io.ponte.hub.fhir.SearchParams;
import io.ponte.hub.identity.Demographics;
import io.ponte.hub.identity.IdentityService;
import io.ponte.hub.identity.PatientEntity;
import io.ponte.hub.identity.PatientRepository;
import io.ponte.text.NameFolding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.Session;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
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

  @Inject HubDatabase db;

  @Transactional
  public Patient read(String id) {
    return audit.around(
        audit.about(AuditAction.READ, "Patient").query("Patient/" + id).patientId(id),
        record -> {
          PatientEntity entity = existing(id, record);
          Persons persons = visiblePersons(List.of(entity), null, record);
          persons.named(record);
          return persons.toFhir(entity);
        });
  }

  /**
   * A Patient, then the other records of its person (Patient.link) that the caller may see, in one
   * audited read naming each record read: a page that names the person from all of their records
   * reads them, and says so, without a search the user did not make.
   */
  @Transactional
  public List<Patient> readWithLinked(String id) {
    return audit.around(
        audit.about(AuditAction.READ, "Patient").query("Patient/" + id).patientId(id),
        record -> {
          PatientEntity entity = existing(id, record);
          Persons persons = visiblePersons(List.of(entity), null, record);
          List<Patient> read = new ArrayList<>(List.of(persons.toFhir(entity)));
          read.addAll(persons.linked(record));
          return read;
        });
  }

  /** A Patient search's page, and the other records of its persons that the caller may see. */
  public record WithLinked(Bundle bundle, List<Patient> linked) {}

  /**
   * A Patient search (as {@link #search}), then the other records of the persons found
   * (Patient.link) that the caller may see, in the one audited search, which names each record
   * shown: a page that names each person from all of their records reads them without a second
   * search the user did not make. The linked records are read whole (no page cuts them off).
   */
  @Transactional
  public WithLinked searchWithLinked(MultivaluedMap<String, String> query) {
    return audit.around(
        audit.about(AuditAction.SEARCH, "Patient"),
        record -> {
          Page page = search(query, record);
          return new WithLinked(page.bundle(), page.persons().linked(record));
        });
  }

  /**
   * The persons of records the caller may see ({@code found}), as far as the caller may see them:
   * the other records of each person are decided for all of them at once, so that Patient.link
   * never names a record whose consent withholds it from the caller (naming it would say that the
   * patient has a record at that site). Under a search's {@code scope}, or for a read (scope null:
   * its one record is decided with its person's, and refused as a read is, in {@code readRecord}),
   * the emergency grant uses of what the page shows and names are audited together, one record per
   * grant.
   */
  private Persons visiblePersons(
      List<PatientEntity> found, SearchScope scope, AccessAudited.Builder readRecord) {
    Map<String, List<PatientEntity>> persons =
        identity.personsOf(found.stream().map(p -> p.id).toList());
    Set<String> shown = new HashSet<>();
    found.forEach(p -> shown.add(p.id));
    Map<String, PatientEntity> others = new LinkedHashMap<>();
    for (List<PatientEntity> person : persons.values()) {
      for (PatientEntity p : person) {
        if (!shown.contains(p.id)) {
          others.putIfAbsent(p.id, p);
        }
      }
    }
    List<ConsentDecisions.Subject> named =
        others.values().stream().map(PatientReader::subject).toList();
    ConsentEnforcement.Filter filter =
        scope == null
            ? consent.requireAccess(subject(found.get(0)), named, readRecord)
            : consent.shown(scope, found.stream().map(PatientReader::subject).toList(), named);
    List<PatientEntity> linked = others.values().stream().filter(p -> filter.shows(p.id)).toList();
    linked.forEach(p -> shown.add(p.id));
    // Each record shown, with the records of its person the caller may see.
    Map<String, List<PatientEntity>> visible = new HashMap<>();
    for (List<PatientEntity> person : persons.values()) {
      List<PatientEntity> members = person.stream().filter(p -> shown.contains(p.id)).toList();
      members.forEach(p -> visible.putIfAbsent(p.id, members));
    }
    return new Persons(visible, linked, identity.otherNamesOf(shown));
  }

  private static ConsentDecisions.Subject subject(PatientEntity p) {
    return new ConsentDecisions.Subject(p.id, p.id, p.siteId);
  }

  /**
   * What the caller may see of some persons: the records of each person they may see, by each such
   * record's id, and those of them the read or search did not find itself.
   */
  private record Persons(
      Map<String, List<PatientEntity>> visible,
      List<PatientEntity> linked,
      Map<String, List<Demographics.Name>> otherNames) {

    /** {@code e} as FHIR, its Patient.link naming the other records of its person shown. */
    Patient toFhir(PatientEntity e) {
      return PatientReader.toFhir(
          e, visible.getOrDefault(e.id, List.of()), otherNames.getOrDefault(e.id, List.of()));
    }

    /** The records not found, as FHIR, each named in {@code record}. */
    List<Patient> linked(AccessAudited.Builder record) {
      named(record);
      return linked.stream().map(this::toFhir).toList();
    }

    /**
     * Names in {@code record} the records not found that the answer names in its Patient.link: the
     * answer tells the caller their identifiers, so her access log says so.
     */
    void named(AccessAudited.Builder record) {
      linked.forEach(p -> record.patientId(p.id).patientIdentifier(p.identifier().token()));
    }
  }

  /**
   * The Patient {@code id} if the caller may read Patients (else 403) and it exists (else 404),
   * named in the record; consent is decided with its person's records ({@link #visiblePersons}).
   */
  private PatientEntity existing(String id, AccessAudited.Builder record) {
    access.requirePatientReader();
    PatientEntity entity = patients.findById(id);
    if (entity == null) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "no Patient/" + id);
    }
    record.patientIdentifier(entity.identifier().token());
    identity.regionalIdOf(id).ifPresent(record::regionalId);
    return entity;
  }

  @Transactional
  public Bundle search(MultivaluedMap<String, String> query) {
    return audit.around(
        audit.about(AuditAction.SEARCH, "Patient"), record -> search(query, record).bundle());
  }

  /** A searchset, and the persons of its Patients. */
  private record Page(Bundle bundle, Persons persons) {}

  private Page search(MultivaluedMap<String, String> query, AccessAudited.Builder record) {
    access.requirePatientReader();
    SearchParams params = SearchParams.of(query, SUPPORTED);
    record.query(params.describe());
    if (CRITERIA.stream().noneMatch(params::has)) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST,
          "Patient search needs identifier=system|value, name, family, given, birthdate or"
              + " gender");
    }
    // Native SQL with JDBC-style placeholders (numbered on use), so that the consent scope can join
    // its exceptions as a set.
    StringBuilder where = new StringBuilder("true");
    List<Object> args = new ArrayList<>();
    for (String value : params.all("identifier")) {
      List<String> ors = new ArrayList<>();
      for (String raw : SearchParams.orValues(value)) {
        SearchParams.Token token = SearchParams.Token.parse(raw);
        record.patientIdentifier(raw);
        if (token.anySystem()) {
          args.add(token.code());
          ors.add("p.identifier_value = ?");
        } else if (token.system() == null) {
          ors.add("false");
        } else if (IdentifierSystems.REGIONAL_ID.equals(token.system())) {
          // The person's regional id finds every local Patient linked under it; named in the
          // record, so that a lookup consent answers with nothing still reaches her access log.
          record.regionalId(token.code());
          args.add(token.code());
          ors.add("p.id in (select l.patient_id from identity_link l where l.regional_id = ?)");
        } else {
          args.add(token.system());
          args.add(token.code());
          ors.add("(p.identifier_system = ? and p.identifier_value = ?)");
        }
      }
      where.append(" and (").append(String.join(" or ", ors)).append(')');
    }
    // FHIR string search: starts with, case and accents ignored (the folded key); name matches the
    // start of any word of the family or given names. Each LIKE is narrowed by index ranges
    // first (a LIKE with a bound pattern is a filter over every patient in a generic plan).
    nameCondition(
        params,
        "name",
        "(' ' || replace(p.name_search, '^', ' ')) like ? escape '!'",
        "% ",
        NameIndex.WORD,
        where,
        args);
    nameCondition(
        params, "family", "p.name_search like ? escape '!'", "", NameIndex.KEY, where, args);
    nameCondition(
        params,
        "given",
        "(' ' || substring(p.name_search from strpos(p.name_search, '^') + 1)) like ? escape '!'",
        "% ",
        NameIndex.WORD,
        where,
        args);
    for (String value : params.all("birthdate")) {
      LocalDate[] range = birthDateRange(value);
      args.add(range[0]);
      args.add(range[1]);
      where.append(" and p.birth_date >= ? and p.birth_date < ?");
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
        ors.add("p.gender = ?");
      }
      where.append(" and (").append(String.join(" or ", ors)).append(')');
    }
    int count = params.count();
    int offset = params.offset();
    // Consent is part of the SQL: _count, _offset and the total count visible Patients only.
    SearchScope scope = consent.scope();
    String matched = where.toString();
    List<Object> matchArgs = List.copyOf(args);
    where.append(" and ").append(ConsentScopeSql.visible(scope, "p.id", "p.site_id", args));
    long total =
        ((Number) query("select count(*) from patient p where " + where, args).getSingleResult())
            .longValue();
    List<Patient> page = new ArrayList<>();
    Persons persons = new Persons(Map.of(), List.of(), Map.of());
    // offset is a multiple of count in the links we hand out; a client's own offset is rounded
    // down.
    int start = count > 0 ? offset / count * count : 0;
    if (count > 0 && start < total) {
      List<Object> pageArgs = new ArrayList<>(args);
      pageArgs.add(count);
      pageArgs.add(start);
      jakarta.persistence.Query q =
          db.em()
              .createNativeQuery(
                  numbered(
                      "select p.* from patient p where "
                          + where
                          + " order by p.identifier_system, p.identifier_value, p.id"
                          + " limit ? offset ?"),
                  PatientEntity.class);
      for (int i = 0; i < pageArgs.size(); i++) {
        q.setParameter(i + 1, pageArgs.get(i));
      }
      @SuppressWarnings("unchecked")
      List<PatientEntity> rows = q.getResultList();
      persons = visiblePersons(rows, scope, null);
      for (PatientEntity p : rows) {
        record.patientId(p.id);
        page.add(persons.toFhir(p));
      }
      persons.named(record);
    }
    boolean withheld = false;
    if (scope.mayWithhold()) {
      List<Object> hiddenArgs = new ArrayList<>(matchArgs);
      String hidden = ConsentScopeSql.withheld(scope, "p.id", "p.site_id", hiddenArgs);
      withheld =
          (Boolean)
              query(
                      "select exists (select 1 from patient p where "
                          + matched
                          + " and "
                          + hidden
                          + ")",
                      hiddenArgs)
                  .getSingleResult();
    }
    Bundle bundle =
        bundles.searchset("Patient", params, page, total, start + count < total, count, start);
    if (withheld) {
      // Says that a filter applied, never what or how many: the total counts visible Patients.
      ConsentEnforcement.warnFiltered(bundle);
    }
    return new Page(bundle, persons);
  }

  private jakarta.persistence.Query query(String sql, List<Object> args) {
    jakarta.persistence.Query q = db.em().createNativeQuery(numbered(sql));
    int i = 1;
    for (Object arg : args) {
      q.setParameter(i++, arg);
    }
    return q;
  }

  /**
   * How a folded value narrows the patients by an index before its LIKE decides: a range, unlike
   * {@code LIKE ?}, is an index condition in a prepared statement's generic plan. The word ranges
   * are read into an array first: as a semi-join the generic plan (blind to the ranges' sizes)
   * hashed them beside a scan of every patient; as {@code = any(array)} it probes the primary key.
   */
  enum NameIndex {
    /**
     * The words of the name (V98's patient_name_word, split where a word starts): a name that runs
     * on from the whole value has a word beginning with each of the value's words, so the patients
     * are those in every word's range (intersected as a fuzzy QIDO-RS search's are).
     */
    WORD,
    /** The folded key begins with the value (V40's text_pattern_ops index on name_search). */
    KEY;

    /** Where a word of the name starts (as V98's trigger splits it). */
    private static final Pattern WORD_BREAK = Pattern.compile("[ ^=,]+");

    /**
     * The ranges {@code [from, to)} for a folded value: one per word (WORD) or the whole value's
     * (KEY), none for a prefix below three letters, whose range would hold most patients.
     */
    List<String[]> ranges(String folded) {
      List<String[]> ranges = new ArrayList<>();
      for (String prefix : this == WORD ? WORD_BREAK.split(folded) : new String[] {folded}) {
        String[] range = prefix.length() < 3 ? null : NamePrefixes.range(prefix);
        if (range != null) {
          ranges.add(range);
        }
      }
      return ranges;
    }
  }

  /**
   * Each value of {@code name} is a comma-separated OR of strings, each folded and matched with
   * {@code condition} (SQL with one {@code ?}) as {@code lead + value + "%"}, after {@code index}'s
   * ranges.
   */
  private void nameCondition(
      SearchParams params,
      String name,
      String condition,
      String lead,
      NameIndex index,
      StringBuilder where,
      List<Object> args) {
    for (String value : params.all(name)) {
      List<String> ors = new ArrayList<>();
      for (String raw : SearchParams.orValues(value)) {
        String folded = NameFolding.fold(raw.trim());
        List<String[]> ranges = index.ranges(folded);
        String narrowed = null;
        if (index == NameIndex.KEY && !ranges.isEmpty()) {
          args.add(ranges.get(0)[0]);
          args.add(ranges.get(0)[1]);
          narrowed = "p.name_search ~>=~ ? and p.name_search ~<~ ?";
        } else if (!ranges.isEmpty()) {
          narrowed =
              "p.id = any(array("
                  + NamePrefixes.patientsWithWords(intersected(ranges), args)
                  + "))";
        }
        args.add(lead + likeLiteral(folded) + "%");
        ors.add(narrowed == null ? condition : "(" + narrowed + " and " + condition + ")");
      }
      where.append(" and (").append(String.join(" or ", ors)).append(')');
    }
  }

  /**
   * The word ranges worth intersecting, chosen from the planner's estimates of each as for a fuzzy
   * QIDO-RS search ({@link NameRoute#intersected}): a common word beside a rare one is left to the
   * LIKE.
   */
  private List<String[]> intersected(List<String[]> ranges) {
    if (ranges.size() < 2) {
      return ranges;
    }
    long[] counts =
        db.em()
            .unwrap(Session.class)
            .doReturningWork(c -> NameRoute.estimate(c, ranges, true).counts());
    return NameRoute.intersected(counts).stream().map(ranges::get).toList();
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

  /**
   * {@code e} as FHIR, its Patient.link naming the other records of {@code person} (its own, as far
   * as the caller may see it); its other names (the DICOM name's ideographic and phonetic groups)
   * follow the name, each marked with its representation as the node published it.
   */
  private static Patient toFhir(
      PatientEntity e, List<PatientEntity> person, List<Demographics.Name> otherNames) {
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
      p.addName(humanName(e.familyName, e.givenNames));
    }
    for (Demographics.Name other : otherNames) {
      HumanName name = humanName(other.family(), other.given());
      name.addExtension(
          PublishedResources.NAME_REPRESENTATION, new CodeType(other.representation()));
      p.addName(name);
    }
    if (e.gender != null) {
      p.setGender(AdministrativeGender.fromCode(e.gender));
    }
    if (e.birthDate != null) {
      p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(e.birthDate.toString()));
    }
    p.setManagingOrganization(new Reference("Organization/" + e.siteId));
    for (PatientEntity other : person) {
      if (other.id.equals(e.id)) {
        continue;
      }
      p.addLink()
          .setType(Patient.LinkType.SEEALSO)
          .setOther(
              new Reference("Patient/" + other.id)
                  .setDisplay(other.identifierSystem + "|" + other.identifierValue));
    }
    return p;
  }

  /** Given names as the hub keeps them: space-separated. */
  private static HumanName humanName(String family, String givenNames) {
    HumanName name = new HumanName().setFamily(family);
    if (givenNames != null) {
      for (String given : givenNames.split(" ")) {
        if (!given.isBlank()) {
          name.addGiven(given);
        }
      }
    }
    return name;
  }
}
