package io.ponte.node.dicomweb;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.node.index.InstanceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Where each frame of an uncompressed (native) image lies in its Part 10 file, so a frame request
 * reads only that frame's bytes. Frame size = Rows × Columns × SamplesPerPixel × BitsAllocated / 8;
 * frame k starts at the Pixel Data value offset + (k-1) × frame size. {@code header} is the data
 * set up to Pixel Data, for those (rendering) that need more than the layout.
 */
public record FrameLayout(
    String transferSyntaxUid,
    long pixelDataValueOffset,
    long frameSize,
    int frames,
    Attributes header) {

  /**
   * Little-endian native encodings: their frame bytes are what application/octet-stream frames
   * carry.
   */
  static boolean isNative(String tsuid) {
    return UID.ExplicitVRLittleEndian.equals(tsuid) || UID.ImplicitVRLittleEndian.equals(tsuid);
  }

  /**
   * Reads the header of {@code header} (a stream from the file's first byte; read only up to Pixel
   * Data) and then the 8 or 12 bytes of the Pixel Data element header from {@code elementHeader}.
   */
  static FrameLayout read(InputStream header, ElementHeaderReader elementHeader)
      throws IOException {
    Attributes ds;
    String tsuid;
    long pixelElement;
    try (DicomInputStream in = new DicomInputStream(header)) {
      ds = in.readDatasetUntilPixelData();
      tsuid = in.transferSyntax();
      pixelElement = in.position();
    }
    if (!isNative(tsuid)) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE,
          "frames of instances stored in transfer syntax "
              + tsuid
              + " (compressed or big endian) are not served yet; retrieve the whole instance instead");
    }
    int rows = ds.getInt(Tag.Rows, 0);
    int columns = ds.getInt(Tag.Columns, 0);
    int samples = ds.getInt(Tag.SamplesPerPixel, 1);
    int bitsAllocated = ds.getInt(Tag.BitsAllocated, 0);
    int frames = parseFrames(ds.getString(Tag.NumberOfFrames));
    if (rows <= 0 || columns <= 0 || samples <= 0 || bitsAllocated <= 0) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "this instance has no image pixel data");
    }
    if (bitsAllocated % 8 != 0) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE,
          "frames with BitsAllocated " + bitsAllocated + " (bit-packed) are not served");
    }
    byte[] h = elementHeader.read(pixelElement, 12);
    if (h.length < 8 || le16(h, 0) != 0x7FE0 || le16(h, 2) != 0x0010) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "this instance has no pixel data");
    }
    boolean explicit = UID.ExplicitVRLittleEndian.equals(tsuid);
    long length = explicit ? le32(h, 8) : le32(h, 4);
    long valueOffset = pixelElement + (explicit ? 12 : 8);
    if (length == 0xFFFFFFFFL) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE, "encapsulated pixel data: frames are not served");
    }
    long frameSize = (long) rows * columns * samples * (bitsAllocated / 8);
    if (frameSize * frames > length) {
      throw new ProblemException(
          ErrorCode.INVALID_DICOM,
          "the stored Pixel Data is shorter than " + frames + " frames of " + frameSize + " bytes");
    }
    return new FrameLayout(tsuid, valueOffset, frameSize, frames, ds);
  }

  /** The layout of the stored instance at {@code location}: its header, then 12 bytes by range. */
  static FrameLayout of(InstanceBytes bytes, InstanceLocation location) {
    try (InputStream header = bytes.open(location)) {
      return read(
          header,
          (offset, length) -> {
            try (InputStream in = bytes.openRange(location, offset, length)) {
              return in.readNBytes(length);
            }
          });
    } catch (IOException e) {
      throw new ProblemException(
          ErrorCode.STORAGE_UNAVAILABLE, "the instance could not be read", Map.of(), e);
    }
  }

  /** Byte offset of frame {@code number} (1-based); 404 when the instance has no such frame. */
  long offsetOf(int number) {
    if (number < 1 || number > frames) {
      throw new ProblemException(
          ErrorCode.NOT_FOUND, "frame " + number + " does not exist; this instance has " + frames);
    }
    return pixelDataValueOffset + (number - 1L) * frameSize;
  }

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

  private static int le16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  private static long le32(byte[] b, int off) {
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24;
  }

  /** Reads {@code length} bytes at {@code offset} of the file. */
  interface ElementHeaderReader {
    byte[] read(long offset, int length) throws IOException;
  }
}
