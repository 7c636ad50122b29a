package io.ponte.hub.registry;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.util.FhirTerser;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.fhir.FhirContextProducer;
import io.ponte.fhir.IdentifierSystems;
import io.ponte.fhir.PublishedResources;
import io.ponte.hub.identity.Demographics;
import io.ponte.hub.identity.LocalIdentifier;
import io.ponte.hub.site.HubSites;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * What the hub accepts from a node and how it rewrites it before storing. A published ImagingStudy
 * names its study by {@code identifier urn:dicom:uid|urn:oid:<StudyInstanceUID>} and its patient by
 * {@code subject.identifier} in the site's patient identifier system (optionally with a contained
 * Patient for demographics). The hub then replaces the subject with its own Patient, the endpoints
 * with its own DICOMweb, and drops literal references that only resolve at the node.
 */
public final class ImagingStudyRules {

  public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))+");
  private static final Pattern MODALITY = Pattern.compile("[A-Z0-9_]{1,16}");

  private ImagingStudyRules() {}

  /** The facts the registry indexes, taken from a checked study. */
  public record Facts(
      String uid,
      LocalIdentifier patient,
      Demographics demographics,
      String patientDisplay,
      Instant started,
      Set<String> modalities,
      String regionalId) {}

  public static boolean isUid(String uid) {
    return uid != null && uid.length() <= 64 && UID.matcher(uid).matches();
  }

  /** The Study Instance UID of a {@code urn:dicom:uid} identifier value, if it is one. */
  public static Optional<String> uidOf(String identifierValue) {
    if (identifierValue == null || !identifierValue.startsWith(IdentifierSystems.OID_PREFIX)) {
      return Optional.empty();
    }
    String uid = identifierValue.substring(IdentifierSystems.OID_PREFIX.length());
    return isUid(uid) ? Optional.of(uid) : Optional.empty();
  }

  /**
   * Refuses with 422 what the hub cannot serve, with 403 a study of another site than the
   * publisher's.
   */
  public static Facts check(ImagingStudy study, HubSites sites, HubSites.Site publisher) {
    if (!study.hasStatus()) {
      throw invalid("ImagingStudy.status is required");
    }
    String uid = studyUid(study);
    LocalIdentifier patient = patientIdentifier(study);
    HubSites.Site owner =
        sites
            .siteOfPatientSystem(patient.system())
            .orElseThrow(
                () ->
                    invalid(
                        "subject.identifier.system "
                            + patient.system()
                            + " is not the patient identifier system of a federated site"
                            + " (expected "
                            + publisher.patientSystem()
                            + ")"));
    if (!owner.id().equals(publisher.id())) {
      throw new ProblemException(
          ErrorCode.WRONG_SITE,
          "node of site "
              + publisher.id()
              + " may not publish a study of site "
              + owner.id()
              + "'s patient");
    }
    Set<String> modalities = new LinkedHashSet<>();
    for (Coding modality : study.getModality()) {
      modalities.add(modalityCode(modality, "ImagingStudy.modality"));
    }
    Set<String> seriesUids = new HashSet<>();
    Set<String> instanceUids = new HashSet<>();
    Integer instanceTotal = 0;
    for (ImagingStudy.ImagingStudySeriesComponent series : study.getSeries()) {
      if (!isUid(series.getUid()) || !seriesUids.add(series.getUid())) {
        throw invalid(
            "series.uid '" + series.getUid() + "' is missing, not a DICOM UID, or repeated");
      }
      if (!series.hasModality()) {
        throw invalid("series " + series.getUid() + " has no modality");
      }
      modalities.add(modalityCode(series.getModality(), "series.modality"));
      for (ImagingStudy.ImagingStudySeriesInstanceComponent instance : series.getInstance()) {
        if (!isUid(instance.getUid()) || !instanceUids.add(instance.getUid())) {
          throw invalid(
              "instance.uid '" + instance.getUid() + "' is missing, not a DICOM UID, or repeated");
        }
        if (!instance.hasSopClass() || !instance.getSopClass().hasCode()) {
          throw invalid("instance " + instance.getUid() + " has no sopClass");
        }
      }
      if (series.hasNumberOfInstances()
          && series.hasInstance()
          && series.getNumberOfInstances() != series.getInstance().size()) {
        throw invalid(
            "series "
                + series.getUid()
                + " says numberOfInstances "
                + series.getNumberOfInstances()
                + " but lists "
                + series.getInstance().size());
      }
      Integer count =
          series.hasNumberOfInstances()
              ? Integer.valueOf(series.getNumberOfInstances())
              : series.hasInstance() ? Integer.valueOf(series.getInstance().size()) : null;
      instanceTotal = instanceTotal == null || count == null ? null : instanceTotal + count;
    }
    if (study.hasSeries()
        && study.hasNumberOfSeries()
        && study.getNumberOfSeries() != study.getSeries().size()) {
      throw invalid(
          "numberOfSeries "
              + study.getNumberOfSeries()
              + " but "
              + study.getSeries().size()
              + " series listed");
    }
    if (study.hasSeries()
        && study.hasNumberOfInstances()
        && instanceTotal != null
        && study.getNumberOfInstances() != instanceTotal) {
      throw invalid(
          "numberOfInstances "
              + study.getNumberOfInstances()
              + " but the series hold "
              + instanceTotal);
    }
    Instant started = study.hasStarted() ? study.getStartedElement().getValue().toInstant() : null;
    Patient contained = containedPatient(study);
    Demographics demographics = contained == null ? Demographics.NONE : demographics(contained);
    String display =
        study.getSubject().hasDisplay()
            ? study.getSubject().getDisplay()
            : contained != null && contained.hasName()
                ? contained.getNameFirstRep().getNameAsSingleString()
                : null;
    return new Facts(
        uid, patient, demographics, display, started, modalities, regionalId(contained));
  }

  /**
   * Rewrites the study as the hub serves it: the hub's Patient as subject, the hub's DICOMweb
   * Endpoint as the only endpoint, no narrative or contained resources (the node's, unchecked), no
   * literal references into the node. Meta is left empty: the content hash is taken before the
   * version is stamped.
   */
  public static void normalize(ImagingStudy study, Facts facts, String patientId, String siteId) {
    study.setId((String) null);
    study.setMeta(null);
    study.setText(null);
    study.getContained().clear();
    study.setImplicitRules(null);
    FhirTerser terser = FhirContextProducer.r4().newTerser();
    for (Reference reference : terser.getAllPopulatedChildElementsOfType(study, Reference.class)) {
      reference.setReference(null);
      reference.setResource(null);
    }
    Reference subject =
        new Reference("Patient/" + patientId)
            .setIdentifier(
                new Identifier()
                    .setSystem(facts.patient().system())
                    .setValue(facts.patient().value()));
    if (facts.patientDisplay() != null) {
      subject.setDisplay(facts.patientDisplay());
    }
    study.setSubject(subject);
    study.getEndpoint().clear();
    study.addEndpoint(new Reference("Endpoint/" + SiteDirectory.endpointId(siteId)));
    for (ImagingStudy.ImagingStudySeriesComponent series : study.getSeries()) {
      series.getEndpoint().clear();
      if (!series.getModality().hasSystem()) {
        series.getModality().setSystem(DCM);
      }
    }
    for (Coding modality : study.getModality()) {
      if (!modality.hasSystem()) {
        modality.setSystem(DCM);
      }
    }
    // Drop references left empty by the stripping above (e.g. basedOn with only a literal
    // reference).
    removeEmpty(study.getBasedOn());
    removeEmpty(study.getInterpreter());
    if (study.getProcedureReference().isEmpty()) {
      study.setProcedureReference(null);
    }
    removeEmpty(study.getReasonReference());
    if (study.getReferrer().isEmpty()) {
      study.setReferrer(null);
    }
    if (study.getEncounter().isEmpty()) {
      study.setEncounter(null);
    }
    if (study.getLocation().isEmpty()) {
      study.setLocation(null);
    }
    for (ImagingStudy.ImagingStudySeriesComponent series : study.getSeries()) {
      removeEmpty(series.getSpecimen());
      series.getPerformer().removeIf(p -> p.getActor().isEmpty());
    }
  }

  private static void removeEmpty(List<Reference> references) {
    references.removeIf(Reference::isEmpty);
  }

  private static String studyUid(ImagingStudy study) {
    List<Identifier> uids =
        study.getIdentifier().stream()
            .filter(i -> IdentifierSystems.DICOM_UID.equals(i.getSystem()))
            .toList();
    if (uids.size() != 1) {
      throw invalid(
          "exactly one identifier with system "
              + IdentifierSystems.DICOM_UID
              + " (the Study Instance UID) is required");
    }
    return uidOf(uids.get(0).getValue())
        .orElseThrow(
            () ->
                invalid(
                    "the "
                        + IdentifierSystems.DICOM_UID
                        + " identifier value must be urn:oid:<StudyInstanceUID> (digits and dots, at most 64)"));
  }

  private static LocalIdentifier patientIdentifier(ImagingStudy study) {
    Identifier id = study.getSubject().getIdentifier();
    if (!study.hasSubject() || !id.hasSystem() || !id.hasValue() || id.getValue().isBlank()) {
      throw invalid(
          "subject.identifier (the site's patient identifier: system and value) is required");
    }
    String value = id.getValue().trim();
    if (value.length() > 128 || value.chars().anyMatch(Character::isISOControl)) {
      throw invalid("subject.identifier.value must be at most 128 printable characters");
    }
    return new LocalIdentifier(id.getSystem(), value);
  }

  private static String modalityCode(Coding coding, String where) {
    if (coding.hasSystem() && !DCM.equals(coding.getSystem())) {
      throw invalid(where + " must use the DICOM system " + DCM);
    }
    if (!coding.hasCode() || !MODALITY.matcher(coding.getCode()).matches()) {
      throw invalid(where + " code '" + coding.getCode() + "' is not a DICOM modality code");
    }
    return coding.getCode();
  }

  private static Patient containedPatient(ImagingStudy study) {
    if (study.getSubject().getResource() instanceof Patient p) {
      return p;
    }
    String ref = study.getSubject().getReference();
    if (ref != null && ref.startsWith("#")) {
      for (Resource r : study.getContained()) {
        if (r instanceof Patient p && ref.substring(1).equals(r.getIdElement().getIdPart())) {
          return p;
        }
      }
    }
    return null;
  }

  /**
   * The region's person identifier when the site states it ({@code urn:ponte:regional-id} among the
   * contained Patient's identifiers): the hub then links the patient deterministically.
   */
  private static String regionalId(Patient p) {
    if (p == null) {
      return null;
    }
    List<String> values =
        p.getIdentifier().stream()
            .filter(i -> IdentifierSystems.REGIONAL_ID.equals(i.getSystem()) && i.hasValue())
            .map(i -> i.getValue().trim())
            .distinct()
            .toList();
    if (values.size() > 1) {
      throw invalid(
          "the patient has more than one " + IdentifierSystems.REGIONAL_ID + " identifier");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static Demographics demographics(Patient p) {
    String family = p.hasName() ? p.getNameFirstRep().getFamily() : null;
    String given =
        p.hasName() && p.getNameFirstRep().hasGiven()
            ? p.getNameFirstRep().getGivenAsSingleString()
            : null;
    LocalDate birth =
        p.hasBirthDate() && p.getBirthDateElement().getPrecision() == TemporalPrecisionEnum.DAY
            ? LocalDate.parse(p.getBirthDateElement().getValueAsString())
            : null;
    String gender = p.hasGender() ? p.getGender().toCode() : null;
    return new Demographics(family, given, birth, gender, otherNames(p));
  }

  /**
   * The names after the first marked with an ISO 21090 representation: the other component groups
   * of the DICOM PatientName (ideographic, phonetic), which a name search finds too. Other names (a
   * maiden name, say) are no DICOM PatientName and are not searched as one.
   */
  private static List<Demographics.Name> otherNames(Patient p) {
    List<Demographics.Name> names = new ArrayList<>();
    for (HumanName name :
        p.getName().subList(Math.min(1, p.getName().size()), p.getName().size())) {
      if (!name.hasExtension(PublishedResources.NAME_REPRESENTATION)) {
        continue;
      }
      var code = name.getExtensionByUrl(PublishedResources.NAME_REPRESENTATION).getValue();
      String representation = code == null ? null : code.primitiveValue();
      if (representation == null || !REPRESENTATIONS.contains(representation)) {
        throw invalid("a name's representation must be ABC, IDE or SYL");
      }
      String family = name.getFamily();
      String given = name.hasGiven() ? name.getGivenAsSingleString() : null;
      if ((family != null && family.length() > MAX_NAME_PART)
          || (given != null && given.length() > MAX_NAME_PART)) {
        throw invalid(
            "a patient name's family or given names must be at most "
                + MAX_NAME_PART
                + " characters");
      }
      if ((family != null && !family.isBlank()) || (given != null && !given.isBlank())) {
        names.add(new Demographics.Name(representation, family, given));
      }
    }
    return names;
  }

  /** As patient.family_name and given_names hold it. */
  private static final int MAX_NAME_PART = 200;

  /** The codes of ISO 21090 EntityNameRepresentation (the extension's required binding). */
  private static final Set<String> REPRESENTATIONS = Set.of("ABC", "IDE", "SYL");

  private static ProblemException invalid(String detail) {
    return new ProblemException(ErrorCode.INVALID_RESOURCE, detail);
  }
}
