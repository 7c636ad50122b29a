package io.ponte.node.storage;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.PixelDataElement;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.node.storage.StoreException.Reason;

/**
 * Pixel data that frame requests could not serve is refused at ingest rather than stored: the
 * reader has already checked the element's structure and that its bytes are all there ({@link
 * io.ponte.dicom.DicomInputStream#readRestSkippingPixelData()}); this checks it against the data
 * set: encapsulated exactly when the transfer syntax is a compressed one, and native values long
 * enough for the frames the header announces.
 */
final class PixelDataCheck {

  private PixelDataCheck() {}

  static void requireConsistent(Attributes ds, String transferSyntaxUid, PixelDataElement pixels)
      throws StoreException {
    if (pixels == null) {
      return;
    }
    boolean nativeSyntax = UID.isNative(transferSyntaxUid);
    if (nativeSyntax && pixels.encapsulated()) {
      throw invalid(
          "encapsulated "
              + Tag.toString(pixels.tag())
              + " under the native transfer syntax "
              + UID.nameOf(transferSyntaxUid));
    }
    if (!nativeSyntax && !pixels.encapsulated() && pixels.valueLength() > 0) {
      throw invalid(
          Tag.toString(pixels.tag())
              + " is not encapsulated as its transfer syntax "
              + UID.nameOf(transferSyntaxUid)
              + " requires");
    }
    if (pixels.encapsulated()) {
      return;
    }
    long rows = ds.getInt(Tag.Rows, 0);
    long columns = ds.getInt(Tag.Columns, 0);
    long samples = ds.getInt(Tag.SamplesPerPixel, 1);
    long bits = ds.getInt(Tag.BitsAllocated, 0);
    long frames = numberOfFrames(ds);
    if (rows <= 0 || columns <= 0 || samples <= 0 || bits <= 0 || frames < 1) {
      return; // no image to check against
    }
    // Bit-packed frames (BitsAllocated 1) are contiguous: whole bytes only for the total.
    long needed = (rows * columns * samples * bits * frames + 7) / 8;
    if (pixels.valueLength() < needed) {
      throw invalid(
          Tag.toString(pixels.tag())
              + " has "
              + pixels.valueLength()
              + " bytes, fewer than the "
              + needed
              + " of "
              + frames
              + " frame(s) of "
              + rows
              + "x"
              + columns
              + "x"
              + samples
              + " samples of "
              + bits
              + " bits");
    }
  }

  /** Number of Frames: 1 when absent, 0 (not checked) when not a number. */
  private static long numberOfFrames(Attributes ds) {
    String value = ds.getString(Tag.NumberOfFrames);
    if (value == null || value.isBlank()) {
      return 1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static StoreException invalid(String detail) {
    return new StoreException(Reason.INVALID_DATA, "invalid pixel data: " + detail);
  }
}
