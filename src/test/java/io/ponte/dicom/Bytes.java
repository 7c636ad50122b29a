package io.ponte.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built DICOM byte streams for tests of malformed input. */
final class Bytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static Bytes part10(String tsuid) {
    Bytes b = new Bytes();
    b.raw(new byte[128]).ascii("DICM");
    byte[] ts = padUid(tsuid);
    b.tag(0x00020000).ascii("UL").u16(4).u32(8 + ts.length);
    b.tag(0x00020010).ascii("UI").u16(ts.length).raw(ts);
    return b;
  }

  private static byte[] padUid(String uid) {
    byte[] u = uid.getBytes(StandardCharsets.US_ASCII);
    return u.length % 2 == 0 ? u : java.util.Arrays.copyOf(u, u.length + 1);
  }

  Bytes raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  Bytes ascii(String s) {
    return raw(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  Bytes u16(int v) {
    out.write(v);
    out.write(v >>> 8);
    return this;
  }

  Bytes u32(long v) {
    u16((int) v);
    return u16((int) (v >>> 16));
  }

  Bytes tag(int tag) {
    return u16(tag >>> 16).u16(tag);
  }

  /** Explicit VR LE element with a short (2-byte) length. */
  Bytes el(int tag, String vr, String value) {
    byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
    return tag(tag).ascii(vr).u16(v.length).raw(v);
  }

  byte[] toArray() {
    return out.toByteArray();
  }
}
