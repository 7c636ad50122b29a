package io.ponte.node.publish;

import io.ponte.fhir.IdentifierSystems;
import io.ponte.node.index.StudySnapshot;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.ImagingStudy.ImagingStudySeriesComponent;
import org.hl7.fhir.r4.model.ImagingStudy.ImagingStudySeriesInstanceComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Builds the FHIR R4 ImagingStudy a node publishes from its index rows. The study is named by
 * {@code urn:dicom:uid|urn:oid:<StudyInstanceUID>}, its patient by the site's local identifier (the
 * system the hub associates with this site, value PatientID) with a contained Patient for the hub's
 * identity matching. No endpoint: the hub points studies at its own DICOMweb, never at a node's
 * address. Series and instances are ordered (number, then UID) so the same index content always
 * gives the same bytes, hence the same hash.
 */
public final class ImagingStudyBuilder {

  public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

  /** SOP classes are URIs ({@code urn:oid:...}), hence the URI system. */
  public static final String URI_SYSTEM = "urn:ietf:rfc:3986";

  public static final String IDENTIFIER_TYPE_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/v2-0203";

  /**
   * DICOM "Other", for the rare series indexed without a usable Modality: the hub requires one per
   * series.
   */
  static final String OTHER_MODALITY = "OT";

  private static final Pattern MODALITY = Pattern.compile("[A-Z0-9_]{1,16}");
  private static final String CONTAINED_PATIENT = "patient";

  private final String site;
  private final String patientIdentifierSystem;
  private final ZoneId zone;

  /**
   * @param site this node's site id (e.g. hospital-a)
   * @param patientIdentifierSystem the URI system of the site's patient identifiers, as the hub
   *     expects it
   * @param zone the zone StudyDate/StudyTime are local to
   */
  public ImagingStudyBuilder(String site, String patientIdentifierSystem, ZoneId zone) {
    this.site = site;
    this.patientIdentifierSystem = patientIdentifierSystem;
    this.zone = zone;
  }

  /** The hub's default for a site: {@code urn:ponte:site:<site>:mrn}. */
  public static String defaultPatientIdentifierSystem(String site) {
    return IdentifierSystems.siteMrn(site);
  }

  public ImagingStudy build(StudySnapshot s) throws UnpublishableStudyException {
    if (s.patientId() == null || s.patientId().isBlank()) {
      throw new UnpublishableStudyException(
          "study "
              + s.studyInstanceUid()
              + " has no PatientID: the hub files every study under the site's patient identifier");
    }
    if (s.series().isEmpty() || s.numberOfInstances() == 0) {
      throw new UnpublishableStudyException(
          "study " + s.studyInstanceUid() + " has no indexed instances");
    }
    ImagingStudy study = new ImagingStudy();
    study
        .addIdentifier()
        .setSystem(IdentifierSystems.DICOM_UID)
        .setValue(IdentifierSystems.oid(s.studyInstanceUid()));
    if (notBlank(s.accessionNumber())) {
      study
          .addIdentifier()
          .setType(new CodeableConcept(new Coding(IDENTIFIER_TYPE_SYSTEM, "ACSN", "Accession ID")))
          .setSystem(IdentifierSystems.siteAccession(site))
          .setValue(s.accessionNumber().trim());
    }
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);

    Identifier patientIdentifier = patientIdentifier(s);
    List<HumanName> names = PersonNames.humanNames(s.patientName());
    HumanName name = names.isEmpty() ? null : names.get(0);
    study.addContained(patient(s, patientIdentifier, names));
    Reference subject =
        new Reference("#" + CONTAINED_PATIENT).setIdentifier(patientIdentifier.copy());
    if (name != null) {
      subject.setDisplay(name.getText());
    }
    study.setSubject(subject);

    DicomDateTimes.started(s.studyDate(), s.studyTime(), zone).ifPresent(study::setStartedElement);
    HumanName referrer = PersonNames.humanName(s.referringPhysicianName());
    if (referrer != null) {
      study.setReferrer(new Reference().setDisplay(referrer.getText()));
    }
    if (notBlank(s.studyDescription())) {
      study.setDescription(s.studyDescription().trim());
    }

    Set<String> modalities = new LinkedHashSet<>();
    for (StudySnapshot.Series row : s.series().stream().sorted(Ordering.SERIES).toList()) {
      if (row.instances().isEmpty()) {
        continue;
      }
      String modality = modality(row.modality());
      modalities.add(modality);
      ImagingStudySeriesComponent series =
          study
              .addSeries()
              .setUid(row.seriesInstanceUid())
              .setModality(new Coding(DCM, modality, null));
      if (row.seriesNumber() != null && row.seriesNumber() >= 0) {
        series.setNumber(row.seriesNumber());
      }
      if (notBlank(row.seriesDescription())) {
        series.setDescription(row.seriesDescription().trim());
      }
      Coding bodySite = BodyParts.bodySite(row.bodyPartExamined());
      if (bodySite != null) {
        series.setBodySite(bodySite);
      }
      series.setNumberOfInstances(row.instances().size());
      for (StudySnapshot.Instance i :
          row.instances().stream().sorted(Ordering.INSTANCES).toList()) {
        ImagingStudySeriesInstanceComponent instance =
            series
                .addInstance()
                .setUid(i.sopInstanceUid())
                .setSopClass(new Coding(URI_SYSTEM, IdentifierSystems.oid(i.sopClassUid()), null));
        if (i.instanceNumber() != null && i.instanceNumber() >= 0) {
          instance.setNumber(i.instanceNumber());
        }
      }
    }
    modalities.forEach(m -> study.addModality(new Coding(DCM, m, null)));
    study.setNumberOfSeries(study.getSeries().size());
    study.setNumberOfInstances(
        study.getSeries().stream()
            .mapToInt(ImagingStudySeriesComponent::getNumberOfInstances)
            .sum());
    return study;
  }

  private Identifier patientIdentifier(StudySnapshot s) {
    Identifier id =
        new Identifier().setSystem(patientIdentifierSystem).setValue(s.patientId().trim());
    id.setType(
        new CodeableConcept(new Coding(IDENTIFIER_TYPE_SYSTEM, "MR", "Medical record number")));
    if (notBlank(s.issuerOfPatientId())) {
      // The issuer as DICOM names it; the system above is what the hub keys the site's patients on.
      id.setAssigner(new Reference().setDisplay(s.issuerOfPatientId().trim()));
    }
    return id;
  }

  private static Patient patient(StudySnapshot s, Identifier identifier, List<HumanName> names) {
    Patient patient = new Patient();
    patient.setId(CONTAINED_PATIENT);
    patient.addIdentifier(identifier.copy());
    names.forEach(patient::addName);
    DicomDateTimes.birthDate(s.patientBirthDate()).ifPresent(patient::setBirthDateElement);
    AdministrativeGender gender = gender(s.patientSex());
    if (gender != null) {
      patient.setGender(gender);
    }
    return patient;
  }

  private static AdministrativeGender gender(String sex) {
    if (sex == null) {
      return null;
    }
    return switch (sex.trim().toUpperCase(java.util.Locale.ROOT)) {
      case "M" -> AdministrativeGender.MALE;
      case "F" -> AdministrativeGender.FEMALE;
      case "O" -> AdministrativeGender.OTHER;
      default -> null;
    };
  }

  private static String modality(String modality) {
    if (modality == null) {
      return OTHER_MODALITY;
    }
    String code = modality.trim().toUpperCase(java.util.Locale.ROOT);
    return MODALITY.matcher(code).matches() ? code : OTHER_MODALITY;
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }

  /** Number first (absent last), then UID: stable whatever order the index returned the rows in. */
  private static final class Ordering {
    static final java.util.Comparator<StudySnapshot.Series> SERIES =
        java.util.Comparator.comparing(
                StudySnapshot.Series::seriesNumber,
                java.util.Comparator.nullsLast(Integer::compare))
            .thenComparing(StudySnapshot.Series::seriesInstanceUid);
    static final java.util.Comparator<StudySnapshot.Instance> INSTANCES =
        java.util.Comparator.comparing(
                StudySnapshot.Instance::instanceNumber,
                java.util.Comparator.nullsLast(Integer::compare))
            .thenComparing(StudySnapshot.Instance::sopInstanceUid);
  }
}
