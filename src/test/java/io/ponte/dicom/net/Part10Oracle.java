package io.ponte.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A test-side oracle, independent of the code under test, for a Part 10 file's meta and where its
 * data set starts.
 */
final class Part10Oracle {

  private Part10Oracle() {}

  /**
   * File meta facts read independently of the code under test: TS, SOP class/instance, data set
   * offset.
   */
  record Meta(String transferSyntax, String sopClass, String sopInstance, int datasetOffset) {}

  /** Parses preamble, DICM and the explicit VR LE group 0002; null when the file has no meta. */
  static Meta meta(Path file) throws IOException {
    byte[] b;
    try (InputStream in = Files.newInputStream(file)) {
      b = in.readNBytes(64 * 1024);
    }
    if (b.length < 132 || !"DICM".equals(new String(b, 128, 4, StandardCharsets.US_ASCII))) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    buf.position(132);
    String ts = null;
    String cls = null;
    String inst = null;
    while (buf.remaining() >= 8) {
      int start = buf.position();
      int group = buf.getShort() & 0xFFFF;
      int element = buf.getShort() & 0xFFFF;
      if (group != 2) {
        buf.position(start);
        break;
      }
      String vr = new String(new byte[] {buf.get(), buf.get()}, StandardCharsets.US_ASCII);
      int len;
      if (Arrays.asList("OB", "OW", "SQ", "UN", "UT", "UC", "UR", "OD", "OF", "OL", "OV")
          .contains(vr)) {
        buf.getShort();
        len = buf.getInt();
      } else {
        len = buf.getShort() & 0xFFFF;
      }
      String value =
          new String(b, buf.position(), len, StandardCharsets.US_ASCII).replace("\0", "").trim();
      if (element == 0x0010) {
        ts = value;
      } else if (element == 0x0002) {
        cls = value;
      } else if (element == 0x0003) {
        inst = value;
      }
      buf.position(buf.position() + len);
    }
    return new Meta(ts, cls, inst, buf.position());
  }

  /** The data set bytes of a Part 10 file (everything after the file meta group). */
  static byte[] dataset(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    return Arrays.copyOfRange(all, meta(file).datasetOffset(), all.length);
  }
}
