package io.ponte.dicom.json;

/**
 * Little-endian reads and writes: the model keeps binary values little-endian whatever the file
 * used.
 */
final class LittleEndian {

  private LittleEndian() {}

  static int uint16(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
  }

  static int int32(byte[] b, int off) {
    return (b[off] & 0xFF)
        | (b[off + 1] & 0xFF) << 8
        | (b[off + 2] & 0xFF) << 16
        | (b[off + 3] & 0xFF) << 24;
  }

  static long int64(byte[] b, int off) {
    return (int32(b, off) & 0xFFFFFFFFL) | (long) int32(b, off + 4) << 32;
  }

  static void putInt16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }

  static void putInt32(byte[] b, int off, int v) {
    putInt16(b, off, v);
    putInt16(b, off + 2, v >>> 16);
  }

  static void putInt64(byte[] b, int off, long v) {
    putInt32(b, off, (int) v);
    putInt32(b, off + 4, (int) (v >>> 32));
  }
}
