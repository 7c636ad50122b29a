package io.ponte.node.index;

import java.time.Instant;
import java.util.List;

/**
 * One study as the node index holds it (db/node V1: study, series, instance rows), read in one
 * transaction: the input of the publisher's ImagingStudy builder. Strings are as indexed (DICOM
 * values, padding removed).
 */
public record StudySnapshot(
    String studyInstanceUid,
    String patientId,
    String issuerOfPatientId,
    String patientName,
    String patientBirthDate,
    String patientSex,
    String studyDate,
    String studyTime,
    String accessionNumber,
    String studyId,
    String studyDescription,
    String referringPhysicianName,
    Instant lastReceivedAt,
    List<Series> series) {

  public StudySnapshot {
    series = List.copyOf(series);
  }

  public int numberOfInstances() {
    return series.stream().mapToInt(s -> s.instances().size()).sum();
  }

  /**
   * A series row and its instance rows, with the Body Part Examined (0018,0015) indexed for the
   * series (series.body_part_examined: the least its instances carry; null when none does).
   */
  public record Series(
      String seriesInstanceUid,
      String modality,
      Integer seriesNumber,
      String seriesDescription,
      String bodyPartExamined,
      List<Instance> instances) {

    public Series {
      instances = List.copyOf(instances);
    }

    /** A series without a body part. */
    public Series(
        String seriesInstanceUid,
        String modality,
        Integer seriesNumber,
        String seriesDescription,
        List<Instance> instances) {
      this(seriesInstanceUid, modality, seriesNumber, seriesDescription, null, instances);
    }
  }

  /** An instance row, reduced to what an ImagingStudy lists. */
  public record Instance(String sopInstanceUid, String sopClassUid, Integer instanceNumber) {}
}
