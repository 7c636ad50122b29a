package io.ponte.node.index;

/**
 * What the index keeps of one instance: the attributes QIDO-RS and the ImagingStudy publisher need,
 * where its bytes are, and its DICOM JSON metadata (bulk data left out).
 */
public record IndexedInstance(
    // study
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
    // series
    String seriesInstanceUid,
    String modality,
    Integer seriesNumber,
    String seriesDescription,
    // Body Part Examined (0018,0015): the series row keeps the least of its instances' (V150)
    String bodyPartExamined,
    // instance
    String sopInstanceUid,
    String sopClassUid,
    String transferSyntaxUid,
    Integer instanceNumber,
    Integer numberOfFrames,
    Integer rows,
    Integer columns,
    Integer bitsAllocated,
    long size,
    String sha256,
    String cachePath,
    String blobName,
    String metadataJson,
    // where it came from: the protocol's name and the calling AE title or client id
    String sourceProtocol,
    String sourceCaller,
    // the study's retention as this instance decides it (node/retention); the longest one wins
    String retentionClass,
    java.time.LocalDate retentionEndsOn,
    // the top-level pixel data element's tag (Pixel Data, Float or Double Float), null when none
    Integer pixelDataTag) {}
