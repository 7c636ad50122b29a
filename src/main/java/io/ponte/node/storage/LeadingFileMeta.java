package io.ponte.node.storage;

import io.ponte.dicom.ByteUtil;
import io.ponte.dicom.VR;
import io.ponte.node.storage.StoreException.Reason;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * Some SCUs send a C-STORE data set that starts with File Meta Information elements (group 0002),
 * which PS3.10 7.1 forbids there. Stored after the node's own meta group they would be read back as
 * part of it, so the file could not be read; since the node writes its own meta, they are dropped
 * before the data set is spooled. Each is read as explicit VR little endian (as meta is written)
 * when a VR follows its tag, else as implicit VR little endian.
 */
final class LeadingFileMeta {

  /** More group 0002 bytes than any meta group needs: beyond it, the data set is refused. */
  static final int MAX_BYTES = 64 * 1024;

  private LeadingFileMeta() {}

  /** {@code dataset} without its leading group 0002 elements. */
  static InputStream strip(InputStream dataset) throws IOException, StoreException {
    long dropped = 0;
    while (true) {
      byte[] head = dataset.readNBytes(8);
      if (head.length < 8 || ByteUtil.uint16(head, 0) != 0x0002) {
        return new SequenceInputStream(new ByteArrayInputStream(head), dataset);
      }
      VR vr = VR.of(ByteUtil.uint16BE(head, 4));
      long length;
      if (vr == null) {
        length = ByteUtil.int32(head, 4) & 0xFFFFFFFFL;
      } else if (vr.hasLongHeader()) {
        byte[] more = dataset.readNBytes(4);
        if (more.length < 4) {
          throw invalid("the data set ends inside a group 0002 element");
        }
        length = ByteUtil.int32(more, 0) & 0xFFFFFFFFL;
        dropped += 4;
      } else {
        length = ByteUtil.uint16(head, 6);
      }
      dropped += 8 + length;
      if (dropped > MAX_BYTES) {
        throw invalid("the data set starts with more than " + MAX_BYTES + " bytes of group 0002");
      }
      try {
        dataset.skipNBytes(length);
      } catch (EOFException e) {
        throw invalid("the data set ends inside a group 0002 element");
      }
    }
  }

  private static StoreException invalid(String detail) {
    return new StoreException(Reason.INVALID_DATA, "not readable as DICOM: " + detail);
  }
}
