package io.ponte.dicom.json;

/**
 * Names bulk data for {@link BulkDataMode#URI}: the WADO-RS (or other) URI of one element's value.
 */
@FunctionalInterface
public interface BulkDataUris {

  /**
   * The URI for this element, or null to inline this value instead (e.g. small private OB values).
   */
  String uriFor(BulkDataElement element);
}
