package io.ponte.node.dicomweb;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.ByteUtil;
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
   * Native encodings whose frames lie at a fixed offset of the file: little endian, and Explicit VR
   * Big Endian, whose words the renderer swaps (deflated data sets have no fixed offsets).
   */
  static boolean isUncompressedInPlace(String tsuid) {
    return isNative(tsuid) || UID.isBigEndian(tsuid);
  }

  boolean bigEndian() {
    return UID.isBigEndian(transferSyntaxUid);
  }

  /**
   * Reads the header of {@code header} (a stream from the file's first byte; read only up to Pixel
   * Data) and then the 8 or 12 bytes of the Pixel Data element header from {@code elementHeader}.
   */
  static FrameLayout read(InputStream header, ElementHeaderReader elementHeader)
      throws IOException {
    PixelDataHeader pixelHeader = PixelDataHeader.read(header);
    String tsuid = pixelHeader.transferSyntaxUid();
    long pixelElement = pixelHeader.pixelElement();
    if (!isUncompressedInPlace(tsuid)) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE,
          "frames of instances stored in transfer syntax "
              + tsuid
              + " (compressed or deflated) are not laid out in place; retrieve the whole instance instead");
    }
    PixelDataHeader.Image image = pixelHeader.image();
    image.requireWholeBytes();
    byte[] h = elementHeader.read(pixelElement, 12);
    boolean big = UID.isBigEndian(tsuid);
    if (h.length < 8
        || (big ? ByteUtil.uint16BE(h, 0) : ByteUtil.uint16(h, 0)) != 0x7FE0
        || (big ? ByteUtil.uint16BE(h, 2) : ByteUtil.uint16(h, 2)) != 0x0010) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "this instance has no pixel data");
    }
    boolean explicit = !UID.ImplicitVRLittleEndian.equals(tsuid);
    long length =
        (big ? ByteUtil.int32BE(h, 8) : explicit ? ByteUtil.int32(h, 8) : ByteUtil.int32(h, 4))
            & 0xFFFFFFFFL;
    long valueOffset = pixelElement + (explicit ? 12 : 8);
    if (length == 0xFFFFFFFFL) {
      throw new ProblemException(
          ErrorCode.NOT_ACCEPTABLE, "encapsulated pixel data: frames are not served");
    }
    long frameSize = image.frameSize();
    int frames = image.frames();
    if (frameSize * frames > length) {
      throw new ProblemException(
          ErrorCode.INVALID_DICOM,
          "the stored Pixel Data is shorter than " + frames + " frames of " + frameSize + " bytes");
    }
    return new FrameLayout(tsuid, valueOffset, frameSize, frames, pixelHeader.dataset());
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

  /** Reads {@code length} bytes at {@code offset} of the file. */
  interface ElementHeaderReader {
    byte[] read(long offset, int length) throws IOException;
  }
}
