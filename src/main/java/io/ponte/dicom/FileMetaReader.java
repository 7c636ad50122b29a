package io.ponte.dicom;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads exactly the preamble and File Meta Information of a Part 10 stream (PS3.10 7.1) and no byte
 * more, so that the caller can pass the data set that follows through as raw bytes (e.g. into a
 * C-STORE) without decoding it. The group length (0002,0000), type 1, bounds what is read.
 */
public final class FileMetaReader {

  /** A meta group larger than this is not one we accept (it is a few hundred bytes in practice). */
  public static final int MAX_META_LENGTH = 64 * 1024;

  private FileMetaReader() {}

  /** The meta group; {@code in} is left at the first byte of the data set. */
  public static Attributes read(InputStream in) throws IOException {
    byte[] head = in.readNBytes(132 + 12);
    if (head.length < 144
        || head[128] != 'D'
        || head[129] != 'I'
        || head[130] != 'C'
        || head[131] != 'M') {
      throw new DicomParseException(0, "not a DICOM Part 10 stream (no DICM prefix)");
    }
    // (0002,0000) UL 4 <length>, explicit VR little endian.
    if (head[132] != 2
        || head[133] != 0
        || head[134] != 0
        || head[135] != 0
        || head[136] != 'U'
        || head[137] != 'L') {
      throw new DicomParseException(
          0, "File Meta Information does not start with its group length");
    }
    long length =
        (head[140] & 0xFFL)
            | (head[141] & 0xFFL) << 8
            | (head[142] & 0xFFL) << 16
            | (head[143] & 0xFFL) << 24;
    if (length > MAX_META_LENGTH) {
      throw new DicomParseException(0, "File Meta Information of " + length + " bytes");
    }
    byte[] rest = in.readNBytes((int) length);
    if (rest.length < length) {
      throw new EOFException("stream ends inside the File Meta Information");
    }
    try (DicomInputStream meta =
        DicomInputStream.ofDataset(new ByteArrayInputStream(rest), UID.ExplicitVRLittleEndian)) {
      return meta.readDataset();
    }
  }
}
