package io.ponte.dicom.json;

import io.ponte.dicom.VR;

/**
 * A bulk data element met by {@link DicomJsonWriter}, given to {@link BulkDataUris} to name it.
 *
 * @param path where it is: its tag as 8 hex digits, prefixed for nested elements by the enclosing
 *     sequence tags and 0-based item indices, e.g. {@code "7FE00010"} or {@code
 *     "00409096/0/00283006"} (URL-safe, unique within the data set)
 * @param tag the element's tag
 * @param vr its VR
 * @param length the value length in bytes; -1 for encapsulated (undefined length) pixel data
 * @param encapsulated true for encapsulated pixel data (fragments)
 */
public record BulkDataElement(String path, int tag, VR vr, long length, boolean encapsulated) {

  /** True for a top-level element (not inside a sequence item). */
  public boolean topLevel() {
    return path.indexOf('/') < 0;
  }
}
