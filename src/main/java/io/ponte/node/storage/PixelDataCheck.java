package io.ponte.node.storage;

import io.ponte.dicom.UID;
import io.ponte.node.storage.StoreException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The header parser stops before Pixel Data, so a stream cut off inside the pixels would parse
 * fine. This check reads the Pixel Data element header from the spooled file and verifies the bytes
 * it announces are there: the whole value for a defined length, the fragment items up to the
 * sequence delimiter for encapsulated pixel data. Deflated data sets are exempt (their offsets are
 * in the inflated stream).
 */
final class PixelDataCheck {

  private static final int PIXEL_DATA = 0x7FE00010;
  private static final int ITEM = 0xFFFEE000;
  private static final int SEQUENCE_DELIMITER = 0xFFFEE0DD;
  private static final long UNDEFINED = 0xFFFFFFFFL;

  private PixelDataCheck() {}

  static void requireComplete(Path file, long offset, String transferSyntaxUid, long size)
      throws StoreException {
    if (offset < 0
        || offset >= size
        || UID.DeflatedExplicitVRLittleEndian.equals(transferSyntaxUid)) {
      return;
    }
    boolean bigEndian = UID.ExplicitVRBigEndian.equals(transferSyntaxUid);
    boolean implicit = UID.ImplicitVRLittleEndian.equals(transferSyntaxUid);
    ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer header = read(ch, offset, 12, order);
      if (header == null || tag(header, 0) != PIXEL_DATA) {
        return; // the parser stopped at something else (e.g. trailing elements without pixel data)
      }
      long length;
      long valueAt;
      if (implicit) {
        length = header.getInt(4) & UNDEFINED;
        valueAt = offset + 8;
      } else {
        length = header.getInt(8) & UNDEFINED;
        valueAt = offset + 12;
      }
      if (length != UNDEFINED) {
        if (valueAt + length > size) {
          throw truncated(size, valueAt + length);
        }
        return;
      }
      long at = valueAt;
      while (true) {
        ByteBuffer item = read(ch, at, 8, order);
        if (item == null) {
          throw truncated(size, at + 8);
        }
        int itemTag = tag(item, 0);
        long itemLength = item.getInt(4) & UNDEFINED;
        if (itemTag == SEQUENCE_DELIMITER) {
          return;
        }
        if (itemTag != ITEM || itemLength == UNDEFINED) {
          throw new StoreException(
              Reason.INVALID_DATA,
              "encapsulated Pixel Data: unexpected "
                  + String.format("(%04X,%04X)", itemTag >>> 16, itemTag & 0xFFFF)
                  + " at byte "
                  + at);
        }
        at += 8 + itemLength;
        if (at > size) {
          throw truncated(size, at);
        }
      }
    } catch (IOException e) {
      throw new StoreException(Reason.OUT_OF_RESOURCES, "cannot re-read the spooled instance", e);
    }
  }

  private static StoreException truncated(long size, long needed) {
    return new StoreException(
        Reason.INVALID_DATA,
        "truncated: Pixel Data needs " + needed + " bytes but the instance ends at " + size);
  }

  private static int tag(ByteBuffer b, int at) {
    return (b.getShort(at) & 0xFFFF) << 16 | (b.getShort(at + 2) & 0xFFFF);
  }

  private static ByteBuffer read(FileChannel ch, long at, int n, ByteOrder order)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        return null;
      }
    }
    return b.order(order);
  }
}
