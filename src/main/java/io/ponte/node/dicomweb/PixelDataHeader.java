package io.ponte.node.dicomweb;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Tag;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stored Part 10 file read up to its Pixel Data element: the data set before it, its transfer
 * syntax and the byte where the element starts. Read alike for frames ({@link FrameTable}) and for
 * rendering ({@link FrameLayout}), which then check the transfer syntax each their own way before
 * asking for the {@link #image()}.
 */
record PixelDataHeader(Attributes dataset, String transferSyntaxUid, long pixelElement) {

  /** Reads {@code file} (a stream from its first byte) only up to Pixel Data. */
  static PixelDataHeader read(InputStream file) throws IOException {
    try (DicomInputStream in = new DicomInputStream(file)) {
      Attributes ds = in.readDatasetUntilPixelData();
      return new PixelDataHeader(ds, in.transferSyntax(), in.position());
    }
  }

  /** What frames are cut by. */
  record Image(int rows, int columns, int samples, int bitsAllocated, int frames) {
    /** 406 for bit-packed pixels, whose frames do not start on a byte. */
    void requireWholeBytes() {
      if (bitsAllocated % 8 != 0) {
        throw new ProblemException(
            ErrorCode.NOT_ACCEPTABLE,
            "frames with BitsAllocated " + bitsAllocated + " (bit-packed) are not served");
      }
    }

    /** Bytes of one native frame (once {@link #requireWholeBytes}). */
    long frameSize() {
      return (long) rows * columns * samples * (bitsAllocated / 8);
    }
  }

  /** The image's dimensions; 404 when the data set describes no image pixel data. */
  Image image() {
    int rows = dataset.getInt(Tag.Rows, 0);
    int columns = dataset.getInt(Tag.Columns, 0);
    int samples = dataset.getInt(Tag.SamplesPerPixel, 1);
    int bitsAllocated = dataset.getInt(Tag.BitsAllocated, 0);
    int frames = parseFrames(dataset.getString(Tag.NumberOfFrames));
    if (rows <= 0 || columns <= 0 || samples <= 0 || bitsAllocated <= 0) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "this instance has no image pixel data");
    }
    return new Image(rows, columns, samples, bitsAllocated, frames);
  }

  /** Number of Frames: 1 when absent or not a number. */
  private static int parseFrames(String value) {
    if (value == null || value.isBlank()) {
      return 1;
    }
    try {
      return Math.max(1, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
