package io.ponte.dicom;

/**
 * Little-endian (and big-endian) reads and writes on byte arrays, without bounds beyond the array's
 * own. Public for the DICOM JSON codec, whose model keeps binary values little-endian whatever the
 * file used.
 */
public final class ByteUtil {

  private ByteUtil() {}

  public static int uint16(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
  }

  public static int int32(byte[] b, int off) {
    return (b[off] & 0xFF)
        | (b[off + 1] & 0xFF) << 8
        | (b[off + 2] & 0xFF) << 16
        | b[off + 3] << 24;
  }

  public static long int64(byte[] b, int off) {
    return (int32(b, off) & 0xFFFFFFFFL) | (long) int32(b, off + 4) << 32;
  }

  public static int uint16BE(byte[] b, int off) {
    return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
  }

  public static int int32BE(byte[] b, int off) {
    return b[off] << 24
        | (b[off + 1] & 0xFF) << 16
        | (b[off + 2] & 0xFF) << 8
        | (b[off + 3] & 0xFF);
  }

  public static void putInt16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }

  public static void putInt32(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  public static void putInt64(byte[] b, int off, long v) {
    putInt32(b, off, (int) v);
    putInt32(b, off + 4, (int) (v >>> 32));
  }

  public static void putInt16BE(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  public static void putInt32BE(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  /**
   * Reverses the byte order of each {@code unit}-byte group in place (big-endian to little-endian).
   */
  public static void swap(byte[] b, int off, int len, int unit) {
    int end = off + len - (len % unit);
    switch (unit) {
      case 2:
        for (int i = off; i < end; i += 2) {
          byte t = b[i];
          b[i] = b[i + 1];
          b[i + 1] = t;
        }
        break;
      case 4:
        for (int i = off; i < end; i += 4) {
          byte t = b[i];
          b[i] = b[i + 3];
          b[i + 3] = t;
          t = b[i + 1];
          b[i + 1] = b[i + 2];
          b[i + 2] = t;
        }
        break;
      case 8:
        for (int i = off; i < end; i += 8) {
          for (int k = 0; k < 4; k++) {
            byte t = b[i + k];
            b[i + k] = b[i + 7 - k];
            b[i + 7 - k] = t;
          }
        }
        break;
      default:
        break;
    }
  }
}
