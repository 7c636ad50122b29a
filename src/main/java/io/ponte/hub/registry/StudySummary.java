package io.ponte.hub.registry;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One registered study as a study-level search returns it: its row, its patient, what its stored
 * ImagingStudy says of it, and its modalities.
 *
 * @param started when the study started, or null when the node did not know
 * @param modalities the codes of its series, sorted
 */
public record StudySummary(
    String studyUid,
    String siteId,
    OffsetDateTime started,
    String description,
    Integer numberOfSeries,
    Integer numberOfInstances,
    String accessionNumber,
    List<String> modalities,
    Patient patient) {

  /**
   * The study's local patient.
   *
   * @param id the hub's Patient id
   * @param system the site's patient identifier system (DICOM IssuerOfPatientID)
   * @param value the local identifier (DICOM PatientID)
   * @param gender FHIR administrative gender code, or null
   * @param ideographic the ideographic component group of its DICOM name, or null
   * @param phonetic the phonetic component group of its DICOM name, or null
   */
  public record Patient(
      String id,
      String system,
      String value,
      String familyName,
      String givenNames,
      LocalDate birthDate,
      String gender,
      Name ideographic,
      Name phonetic) {}

  /** A name as published: family name and given names (space-separated). */
  public record Name(String family, String given) {}
}
