package io.ponte.hub.web.clinician;

import io.ponte.fhir.IdentifierSystems;
import io.ponte.hub.audit.Actors;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.identity.IdentityService;
import io.ponte.hub.registry.ImagingStudyReader;
import io.ponte.hub.registry.PatientReader;
import io.ponte.hub.site.HubSites;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * The clinician's searches, through the same services as {@code GET /fhir/Patient} and {@code GET
 * /fhir/ImagingStudy}: the same role and scope checks, identity links, name folding and audit
 * record (purpose "treatment"), so the pages are no second path to the data.
 */
@ApplicationScoped
public class ClinicianSearch {

  private static final String SNOMED = "http://snomed.info/sct";

  /** Persons listed for one search, and priors listed for one person (the newest). */
  static final int MAX_PATIENTS = 50;

  static final int MAX_STUDIES = 200;

  @Inject PatientReader patients;

  @Inject ImagingStudyReader studies;

  @Inject IdentityService identity;

  @Inject HubSites sites;

  @Inject CurrentVertxRequest request;

  /** One local identity of a person: the hub Patient id, the site and its identifier. */
  public record Identity(String patientId, String site, String system, String value) {}

  /**
   * A person: the local identities the hub links (or one alone); one name for the person (the rule:
   * {@link #nameRule()}), and each hospital's spelling of it where it differs.
   */
  public record Person(
      String patientId,
      String name,
      List<Spelling> spellings,
      LocalDate birthDate,
      List<Identity> identities) {}

  /** How one site's record spells the person's name. */
  public record Spelling(String site, String name) {}

  /**
   * Which record names the person: the one a hospital updated most recently (Patient.meta
   * .lastUpdated: a site published changed demographics, or the person's links changed); on a tie
   * (linking touches all of a person's records at once) the record of the site listed first in
   * {@code ponte.hub.sites}, then the smaller hub Patient id. Every linked record the clinician may
   * see is read for it, so the name is the same whichever record found the person
   * (docs/architecture.md, "Clinician workspace").
   */
  private java.util.Comparator<Patient> nameRule() {
    List<String> order = sites.sites().stream().map(HubSites.Site::patientSystem).toList();
    return java.util.Comparator.comparing(
            (Patient p) -> p.getMeta().getLastUpdated(),
            java.util.Comparator.nullsLast(
                java.util.Comparator.<java.util.Date>naturalOrder().reversed()))
        .thenComparing(
            p -> {
              int at = order.indexOf(p.getIdentifierFirstRep().getSystem());
              return at < 0 ? Integer.MAX_VALUE : at;
            })
        .thenComparing(Patient::getIdPart);
  }

  /** One prior, as the timeline shows it. */
  public record Prior(
      String uid,
      Instant started,
      List<String> modalities,
      List<BodySite> bodySites,
      String description,
      String siteId,
      String site,
      int images,
      boolean available) {}

  /**
   * A series' body site: its SNOMED CT code when the node gave one (pages name it in their
   * language, {@link BodySiteWords}), and the display or term the node sent.
   */
  public record BodySite(String snomedCode, String display) {}

  /**
   * What a search found, and whether the consent filter withheld something (the searchset's
   * OperationOutcome warning, {@link ConsentEnforcement#warnFiltered}): it never says what.
   */
  public record Found<T>(List<T> items, boolean withheld) {}

  /** By a hospital's identifier: {@code system|value}, or a value at one site or any site. */
  public Found<Person> byIdentifier(String value, String site) {
    return search(Map.of("identifier", identifierToken(value, site)));
  }

  /**
   * The FHIR token a hospital identifier search uses: {@code system|value} when a site is named.
   */
  public String identifierToken(String value, String site) {
    return value.contains("|") ? value : siteSystem(site).map(s -> s + "|").orElse("") + value;
  }

  /**
   * By the regional identifier that links a person's local identities, as typed: in any case, with
   * spaces around ({@link #regionalId}). A search for the id as issued, so consent filters each of
   * the person's records as any search does: a site withheld from the clinician hides that record,
   * not the person, whichever record sorts first.
   */
  public Found<Person> byRegionalId(String regionalId) {
    return identity
        .issuedRegionalId(regionalId)
        .map(issued -> search(Map.of("identifier", IdentifierSystems.REGIONAL_ID + "|" + issued)))
        .orElse(new Found<>(List.of(), false));
  }

  /** The regional id as issued for the one typed, or the typed one (stripped) if none is. */
  public String regionalId(String typed) {
    return identity.issuedRegionalId(typed).orElse(typed.strip());
  }

  /** By name (any spelling: accents and case folded) and birth date. */
  public Found<Person> byName(String name, LocalDate birthDate) {
    return search(Map.of("name", name, "birthdate", birthDate.toString()));
  }

  /**
   * The person of a hub Patient id: the Patient and its linked records, read and audited as one
   * read (not also as a search: the clinician searched for no one).
   */
  public Person person(String patientId) {
    treatment();
    List<Patient> records = patients.readWithLinked(patientId);
    return persons(records.subList(0, 1), records.subList(1, records.size())).get(0);
  }

  /** The person's priors at every site, newest first (the link expansion is the registry's). */
  public Found<Prior> priors(String patientId) {
    treatment();
    MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
    query.putSingle("patient", patientId);
    query.putSingle("_count", Integer.toString(MAX_STUDIES));
    Bundle bundle = studies.search(query);
    List<Prior> priors = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.getResource() instanceof ImagingStudy study) {
        priors.add(prior(study));
      }
    }
    return new Found<>(priors, withheld(bundle));
  }

  /**
   * One study by its Study Instance UID, as the timeline lists it, with its patient's name; empty
   * when the clinician may not see it (unknown, or withheld by consent) or the UID is no UID.
   */
  public java.util.Optional<NamedStudy> study(String studyUid) {
    if (!io.ponte.dicom.UID.isValid(studyUid)) {
      return java.util.Optional.empty();
    }
    treatment();
    MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
    query.putSingle(
        "identifier", IdentifierSystems.DICOM_UID + "|" + IdentifierSystems.oid(studyUid));
    Bundle bundle = studies.search(query);
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(ImagingStudy.class::isInstance)
        .map(ImagingStudy.class::cast)
        .findFirst()
        .map(s -> new NamedStudy(s.getSubject().getDisplay(), prior(s)));
  }

  /** A study and the name of its patient (null when the site published none). */
  public record NamedStudy(String patientName, Prior study) {}

  public List<HubSites.Site> sites() {
    return sites.sites();
  }

  /**
   * One audited search, which also reads every linked record of the persons found that the
   * clinician may see ({@link PatientReader#searchWithLinked}): so that a person's name and
   * spellings do not depend on which record was found, and the audit trail shows the one search the
   * clinician made.
   */
  private Found<Person> search(Map<String, String> params) {
    treatment();
    MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
    params.forEach(query::putSingle);
    query.putSingle("_count", Integer.toString(MAX_PATIENTS));
    PatientReader.WithLinked result = patients.searchWithLinked(query);
    List<Patient> found = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : result.bundle().getEntry()) {
      if (entry.getResource() instanceof Patient p) {
        found.add(p);
      }
    }
    return new Found<>(persons(found, result.linked()), withheld(result.bundle()));
  }

  /** Whether the consent filter withheld a match (the searchset's warning), never which. */
  private static boolean withheld(Bundle bundle) {
    return bundle.getEntry().stream()
        .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME)
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(OperationOutcome.class::isInstance)
        .flatMap(o -> ((OperationOutcome) o).getIssue().stream())
        .anyMatch(i -> ConsentEnforcement.FILTERED_TEXT.equals(i.getDiagnostics()));
  }

  /**
   * Folds the found Patients into persons (their order), then adds the linked records read for them
   * (never a person of their own); names each person by {@link #nameRule()}.
   */
  private List<Person> persons(List<Patient> found, List<Patient> linked) {
    Map<String, List<Patient>> byKey = new LinkedHashMap<>();
    for (Patient p : found) {
      byKey.computeIfAbsent(members(p), k -> new ArrayList<>()).add(p);
    }
    for (Patient p : linked) {
      List<Patient> same = byKey.get(members(p));
      if (same != null) {
        same.add(p);
      }
    }
    List<Person> persons = new ArrayList<>();
    for (List<Patient> records : byKey.values()) {
      persons.add(person(records));
    }
    return persons;
  }

  /** The ids of the person's records, as one key: the Patient and those its links name. */
  private static String members(Patient p) {
    TreeSet<String> members = new TreeSet<>();
    members.add(p.getIdPart());
    for (Patient.PatientLinkComponent link : p.getLink()) {
      members.add(link.getOther().getReferenceElement().getIdPart());
    }
    return String.join(",", members);
  }

  private Person person(List<Patient> records) {
    Patient first = records.get(0);
    List<Identity> identities = new ArrayList<>();
    identities.add(identityOf(first.getIdPart(), first.getIdentifierFirstRep()));
    for (Patient.PatientLinkComponent link : first.getLink()) {
      Reference other = link.getOther();
      String display = other.getDisplay() == null ? "" : other.getDisplay();
      int bar = display.indexOf('|');
      identities.add(
          identityOf(
              other.getReferenceElement().getIdPart(),
              new Identifier()
                  .setSystem(bar < 0 ? null : display.substring(0, bar))
                  .setValue(bar < 0 ? display : display.substring(bar + 1))));
    }
    identities.sort(java.util.Comparator.comparing(Identity::site).thenComparing(Identity::value));
    List<Patient> named = records.stream().filter(p -> !name(p).isEmpty()).toList();
    java.util.Comparator<Patient> rule = nameRule();
    Patient namer = named.stream().min(rule).orElse(first);
    List<Spelling> spellings = new ArrayList<>();
    if (named.stream().map(ClinicianSearch::name).distinct().count() > 1) {
      for (Patient p : named.stream().sorted(rule).toList()) {
        spellings.add(
            new Spelling(identityOf(p.getIdPart(), p.getIdentifierFirstRep()).site(), name(p)));
      }
    }
    LocalDate birth =
        java.util.stream.Stream.concat(java.util.stream.Stream.of(namer), records.stream())
            .filter(Patient::hasBirthDate)
            .map(p -> LocalDate.parse(p.getBirthDateElement().asStringValue()))
            .findFirst()
            .orElse(null);
    // The smallest id among the records read, not among all the links: a record consent withholds
    // would lead to a timeline the clinician is refused.
    String id = records.stream().map(Patient::getIdPart).sorted().findFirst().orElseThrow();
    return new Person(id, name(namer), spellings, birth, identities);
  }

  private Identity identityOf(String patientId, Identifier identifier) {
    String site =
        identifier.getSystem() == null
            ? ""
            : sites
                .siteOfPatientSystem(identifier.getSystem())
                .map(HubSites.Site::name)
                .orElse(identifier.getSystem());
    return new Identity(patientId, site, identifier.getSystem(), identifier.getValue());
  }

  private static String name(Patient p) {
    if (!p.hasName()) {
      return "";
    }
    HumanName n = p.getNameFirstRep();
    String given = n.getGivenAsSingleString();
    String family = n.getFamily() == null ? "" : n.getFamily();
    return (given == null || given.isBlank() ? family : given + " " + family).trim();
  }

  private Prior prior(ImagingStudy study) {
    String uid =
        study.getIdentifier().stream()
            .map(Identifier::getValue)
            .filter(v -> v != null && v.startsWith(IdentifierSystems.OID_PREFIX))
            .map(v -> v.substring(IdentifierSystems.OID_PREFIX.length()))
            .findFirst()
            .orElse(null);
    List<String> modalities = study.getModality().stream().map(Coding::getCode).distinct().toList();
    List<BodySite> bodyParts =
        study.getSeries().stream()
            .filter(ImagingStudy.ImagingStudySeriesComponent::hasBodySite)
            .map(ImagingStudy.ImagingStudySeriesComponent::getBodySite)
            .map(
                c ->
                    new BodySite(
                        SNOMED.equals(c.getSystem()) ? c.getCode() : null,
                        c.hasDisplay() ? c.getDisplay() : c.getCode()))
            .filter(b -> b.display() != null && !b.display().isBlank())
            .distinct()
            .toList();
    return new Prior(
        uid,
        study.hasStarted() ? study.getStarted().toInstant() : null,
        modalities,
        bodyParts,
        study.getDescription(),
        siteId(study.getMeta().getSource()),
        siteName(study.getMeta().getSource()),
        study.getNumberOfInstances(),
        study.getStatus() == ImagingStudy.ImagingStudyStatus.AVAILABLE);
  }

  /** The id of the site a registry entry came from ({@code meta.source}); "" when unknown. */
  private static String siteId(String source) {
    String prefix = IdentifierSystems.SITE + ":";
    return source == null || !source.startsWith(prefix) ? "" : source.substring(prefix.length());
  }

  private String siteName(String source) {
    String id = siteId(source);
    return id.isEmpty() ? "" : sites.site(id).map(HubSites.Site::name).orElse(id);
  }

  private java.util.Optional<String> siteSystem(String site) {
    return site == null || site.isBlank()
        ? java.util.Optional.empty()
        : sites.site(site).map(HubSites.Site::patientSystem);
  }

  /** The pages state why they read: a clinician caring for the patient. */
  private void treatment() {
    request.getCurrent().request().headers().set(Actors.PURPOSE_HEADER, "treatment");
  }
}
