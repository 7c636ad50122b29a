package io.ponte.dicom;

/**
 * A top-level pixel data element (Pixel Data, Float or Double Float Pixel Data) as {@link
 * DicomInputStream#readRestSkippingPixelData()} found it: its structure checked, its value skipped.
 *
 * @param offset where the element starts in the decoded stream
 * @param valueLength the value's length in bytes, or -1 when encapsulated
 * @param fragments for encapsulated pixel data, its items including the offset table; else 0
 */
public record PixelDataElement(int tag, VR vr, long offset, long valueLength, int fragments) {

  public boolean encapsulated() {
    return valueLength < 0;
  }
}
