package io.ponte.node.storage;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.Tag;
import io.ponte.error.ErrorDetails;
import io.ponte.node.index.IndexedInstance;
import io.ponte.node.storage.StoreException.Reason;

/**
 * Checks a spooled instance's header and turns it into an index row: the four UIDs must be present
 * and valid (they become path segments and blob names), and the file meta must agree with the data
 * set.
 */
public final class InstanceHeader {

  private InstanceHeader() {}

  /**
   * The index row of an object already stored (e.g. read back from Blob to rebuild a lost index),
   * checked as ingest checks it: its header (file meta and data set up to Pixel Data), size and
   * SHA-256; its retention decided as at ingest.
   */
  public static IndexedInstance indexRow(
      Attributes fmi,
      Attributes dataset,
      String transferSyntaxUid,
      long size,
      String sha256,
      IngestSource source,
      InstanceMetadata metadata,
      RetentionDecider.Decision retention,
      int pixelDataTag)
      throws StoreException {
    IndexedInstance row =
        check(
            new DurableInstanceStore.Parsed(fmi, dataset, transferSyntaxUid, null),
            size,
            sha256,
            source,
            metadata,
            retention);
    return withPixelDataTag(row, pixelDataTag == 0 ? null : pixelDataTag);
  }

  static IndexedInstance check(
      DurableInstanceStore.Parsed parsed,
      long size,
      String sha256,
      IngestSource source,
      InstanceMetadata metadata,
      RetentionDecider.Decision retention)
      throws StoreException {
    Attributes ds = parsed.dataset();
    Attributes fmi = parsed.fmi();
    String sopInstance = ds.getString(Tag.SOPInstanceUID);
    String sopClass = ds.getString(Tag.SOPClassUID);
    String study = ds.getString(Tag.StudyInstanceUID);
    String series = ds.getString(Tag.SeriesInstanceUID);
    DurableInstanceStore.requireUid(sopInstance, "SOP Instance UID (0008,0018)");
    DurableInstanceStore.requireUid(sopClass, "SOP Class UID (0008,0016)");
    DurableInstanceStore.requireUid(study, "Study Instance UID (0020,000D)");
    DurableInstanceStore.requireUid(series, "Series Instance UID (0020,000E)");
    DurableInstanceStore.requireUid(parsed.transferSyntaxUid(), "Transfer Syntax UID (0002,0010)");
    if (fmi != null) {
      String metaInstance = fmi.getString(Tag.MediaStorageSOPInstanceUID);
      String metaClass = fmi.getString(Tag.MediaStorageSOPClassUID);
      if (!sopInstance.equals(metaInstance)) {
        throw new StoreException(
            Reason.INVALID_UID,
            "Media Storage SOP Instance UID "
                + (metaInstance == null ? "(missing)" : ErrorDetails.quote(metaInstance))
                + " disagrees with the data set's SOP Instance UID "
                + sopInstance);
      }
      if (!sopClass.equals(metaClass)) {
        throw new StoreException(
            Reason.INVALID_UID,
            "Media Storage SOP Class UID "
                + (metaClass == null ? "(missing)" : ErrorDetails.quote(metaClass))
                + " disagrees with the data set's SOP Class UID "
                + sopClass);
      }
    }
    String relative = CacheLayout.relativePath(study, series, sopInstance);
    String json;
    try {
      json = metadata.json(ds);
    } catch (RuntimeException e) {
      throw new StoreException(
          Reason.INVALID_DATA,
          "the header cannot be represented as DICOM JSON: " + e.getMessage(),
          e);
    }
    return new IndexedInstance(
        study,
        ds.getString(Tag.PatientID),
        ds.getString(Tag.IssuerOfPatientID),
        ds.getString(Tag.PatientName),
        ds.getString(Tag.PatientBirthDate),
        ds.getString(Tag.PatientSex),
        ds.getString(Tag.StudyDate),
        ds.getString(Tag.StudyTime),
        ds.getString(Tag.AccessionNumber),
        ds.getString(Tag.StudyID),
        ds.getString(Tag.StudyDescription),
        ds.getString(Tag.ReferringPhysicianName),
        series,
        ds.getString(Tag.Modality),
        integer(ds, Tag.SeriesNumber),
        ds.getString(Tag.SeriesDescription),
        ds.getString(Tag.BodyPartExamined),
        sopInstance,
        sopClass,
        parsed.transferSyntaxUid(),
        integer(ds, Tag.InstanceNumber),
        integer(ds, Tag.NumberOfFrames),
        integer(ds, Tag.Rows),
        integer(ds, Tag.Columns),
        integer(ds, Tag.BitsAllocated),
        size,
        sha256,
        relative,
        CacheLayout.blobName(study, series, sopInstance),
        json,
        source.protocol().name(),
        source.caller(),
        retention.retentionClass(),
        retention.endsOn(),
        parsed.pixelData() == null ? null : parsed.pixelData().tag());
  }

  private static IndexedInstance withPixelDataTag(IndexedInstance i, Integer tag) {
    return new IndexedInstance(
        i.studyInstanceUid(),
        i.patientId(),
        i.issuerOfPatientId(),
        i.patientName(),
        i.patientBirthDate(),
        i.patientSex(),
        i.studyDate(),
        i.studyTime(),
        i.accessionNumber(),
        i.studyId(),
        i.studyDescription(),
        i.referringPhysicianName(),
        i.seriesInstanceUid(),
        i.modality(),
        i.seriesNumber(),
        i.seriesDescription(),
        i.bodyPartExamined(),
        i.sopInstanceUid(),
        i.sopClassUid(),
        i.transferSyntaxUid(),
        i.instanceNumber(),
        i.numberOfFrames(),
        i.rows(),
        i.columns(),
        i.bitsAllocated(),
        i.size(),
        i.sha256(),
        i.cachePath(),
        i.blobName(),
        i.metadataJson(),
        i.sourceProtocol(),
        i.sourceCaller(),
        i.retentionClass(),
        i.retentionEndsOn(),
        tag);
  }

  /**
   * An integer attribute, or null when absent or not a number (non-conformant values are not
   * indexed).
   */
  private static Integer integer(Attributes ds, int tag) {
    try {
      int value = ds.getInt(tag, Integer.MIN_VALUE);
      return value == Integer.MIN_VALUE ? null : value;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
