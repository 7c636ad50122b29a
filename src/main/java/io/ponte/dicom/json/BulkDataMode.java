package io.ponte.dicom.json;

/**
 * What {@link DicomJsonWriter} does with bulk data (OB, OD, OF, OL, OV, OW, UN values and Pixel
 * Data).
 */
public enum BulkDataMode {
  /** "InlineBinary": the value field in base64 (PS3.18 F.2.7), as dcm2json does. */
  INLINE,
  /**
   * "BulkDataURI" from the caller's {@link BulkDataUris}; where it returns null, the value is
   * inlined.
   */
  URI,
  /** Bulk data elements are left out entirely: metadata only, for indexing. */
  OMIT
}
