package io.ponte.dicom;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes DICOM Part 10 files and bare data sets. Data sets are written in implicit VR LE, explicit
 * VR LE, explicit VR BE, deflated explicit VR LE, or (for encapsulated transfer syntaxes) explicit
 * VR LE with the fragments as they are. Odd-length values are padded with the VR's padding byte;
 * sequences and items are written with undefined length; group lengths are dropped, except
 * (0000,0000) of a command set and (0002,0000) of the meta group, which are computed.
 */
public class DicomOutputStream implements Closeable, Flushable {

  /** Ponte's Implementation Class UID (a UUID-derived 2.25 UID, PS3.5 B.2). */
  public static final String IMPLEMENTATION_CLASS_UID =
      "2.25.151338521187640337155394330745380574829";

  public static final String IMPLEMENTATION_VERSION_NAME = "PONTE_0_1";

  private static final int BUFFER_SIZE = 32 * 1024;

  private OutputStream out;
  private final byte[] buf = new byte[BUFFER_SIZE];
  private int count;
  private boolean explicitVR = true;
  private boolean bigEndian;
  private DeflaterOutputStream deflater;

  public DicomOutputStream(OutputStream out) {
    this.out = out;
  }

  /**
   * A minimal File Meta Information for a Part 10 file (the group length is computed when written).
   */
  public static Attributes createFileMetaInformation(
      String sopClass, String sopInstance, String tsuid) {
    Attributes fmi = new Attributes(8);
    fmi.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
    fmi.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClass);
    fmi.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstance);
    fmi.setString(Tag.TransferSyntaxUID, VR.UI, tsuid);
    fmi.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
    fmi.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
    return fmi;
  }

  /**
   * Writes the 128-byte zero preamble, "DICM" and the meta group in explicit VR LE with its group
   * length.
   */
  public void writeFileMetaInformation(Attributes fmi) throws IOException {
    ensure(132);
    for (int i = 0; i < 128; i++) {
      buf[count++] = 0;
    }
    buf[count++] = 'D';
    buf[count++] = 'I';
    buf[count++] = 'C';
    buf[count++] = 'M';
    explicitVR = true;
    bigEndian = false;
    long groupLength = 0;
    for (int i = 0; i < fmi.size(); i++) {
      int tag = fmi.tagAt(i);
      if (Tag.group(tag) == 0x0002 && tag != Tag.FileMetaInformationGroupLength) {
        groupLength += encodedLength(fmi.vrAt(i), fmi.valueAt(i));
      }
    }
    writeHeader(Tag.FileMetaInformationGroupLength, VR.UL, 4);
    writeInt32((int) groupLength);
    for (int i = 0; i < fmi.size(); i++) {
      int tag = fmi.tagAt(i);
      if (Tag.group(tag) == 0x0002 && tag != Tag.FileMetaInformationGroupLength) {
        writeElement(tag, fmi.vrAt(i), fmi.valueAt(i));
      }
    }
  }

  /**
   * Writes a data set in the given transfer syntax. Meta (0002) elements and group lengths are
   * skipped, except the command group length (0000,0000), which is computed when the data set has
   * group 0000. A deflated data set is finished (the deflate stream closed) at the end of this
   * call.
   */
  public void writeDataset(Attributes ds, String transferSyntaxUid) throws IOException {
    explicitVR = !UID.isImplicitVR(transferSyntaxUid);
    bigEndian = UID.isBigEndian(transferSyntaxUid);
    boolean deflate = UID.isDeflated(transferSyntaxUid);
    OutputStream base = out;
    if (deflate) {
      flushBuffer();
      deflater =
          new DeflaterOutputStream(
              out, new Deflater(Deflater.DEFAULT_COMPRESSION, true), 16 * 1024);
      out = deflater;
    }
    if (ds.size() > 0 && Tag.group(ds.tagAt(0)) == 0x0000) {
      long commandLength = 0;
      for (int i = 0; i < ds.size() && Tag.group(ds.tagAt(i)) == 0x0000; i++) {
        if (ds.tagAt(i) != Tag.CommandGroupLength) {
          commandLength += encodedLength(ds.vrAt(i), ds.valueAt(i));
        }
      }
      writeHeader(Tag.CommandGroupLength, VR.UL, 4);
      writeInt32((int) commandLength);
    }
    writeItemContent(ds);
    if (deflate) {
      flushBuffer();
      deflater.finish();
      out = base;
      deflater = null;
    }
  }

  private void writeItemContent(Attributes ds) throws IOException {
    for (int i = 0, n = ds.size(); i < n; i++) {
      int tag = ds.tagAt(i);
      if (Tag.isGroupLength(tag) || Tag.group(tag) == 0x0002) {
        continue;
      }
      writeElement(tag, ds.vrAt(i), ds.valueAt(i));
    }
  }

  private void writeElement(int tag, VR vr, Object value) throws IOException {
    if (value instanceof Sequence seq) {
      writeHeader(tag, VR.SQ, -1);
      for (Attributes item : seq) {
        writeHeader(Tag.Item, null, -1);
        writeItemContent(item);
        writeHeader(Tag.ItemDelimitationItem, null, 0);
      }
      writeHeader(Tag.SequenceDelimitationItem, null, 0);
      return;
    }
    if (value instanceof Fragments frags) {
      writeHeader(tag, vr, -1);
      for (byte[] item : frags.items()) {
        int padded = item.length + (item.length & 1);
        writeHeader(Tag.Item, null, padded);
        writeBytes(item, VR.OB, padded);
      }
      writeHeader(Tag.SequenceDelimitationItem, null, 0);
      return;
    }
    byte[] b = (byte[]) value;
    int padded = b.length + (b.length & 1);
    if (explicitVR && !vr.hasLongHeader() && padded > 0xFFFF) {
      vr = VR.UN; // PS3.5 6.2.2: a value too long for a 16-bit length is written as UN
    }
    writeHeader(tag, vr, padded);
    writeBytes(b, vr, padded);
  }

  private void writeBytes(byte[] b, VR vr, int padded) throws IOException {
    int unit = vr == VR.AT ? 2 : vr.unitSize();
    if (bigEndian && unit > 1) {
      b = b.clone();
      ByteUtil.swap(b, 0, b.length, unit);
    }
    if (b.length <= buf.length - count) {
      System.arraycopy(b, 0, buf, count, b.length);
      count += b.length;
    } else {
      flushBuffer();
      out.write(b);
    }
    if (padded > b.length) {
      ensure(1);
      buf[count++] = (byte) vr.paddingByte();
    }
  }

  /**
   * Header bytes of an element; {@code vr} null for items and delimiters; {@code len} -1 for
   * undefined.
   */
  private void writeHeader(int tag, VR vr, int len) throws IOException {
    ensure(12);
    putShort(tag >>> 16);
    putShort(tag);
    if (vr == null || !explicitVR) {
      putInt(len);
      return;
    }
    buf[count++] = (byte) (vr.code >> 8);
    buf[count++] = (byte) vr.code;
    if (vr.hasLongHeader()) {
      buf[count++] = 0;
      buf[count++] = 0;
      putInt(len);
    } else {
      putShort(len);
    }
  }

  private void writeInt32(int v) throws IOException {
    ensure(4);
    putInt(v);
  }

  private void putShort(int v) {
    if (bigEndian) {
      ByteUtil.putInt16BE(buf, count, v);
    } else {
      ByteUtil.putInt16(buf, count, v);
    }
    count += 2;
  }

  private void putInt(int v) {
    if (bigEndian) {
      ByteUtil.putInt32BE(buf, count, v);
    } else {
      ByteUtil.putInt32(buf, count, v);
    }
    count += 4;
  }

  /**
   * Encoded size of an element (header + padded value) in the current encoding; sequences
   * undefined-length.
   */
  private long encodedLength(VR vr, Object value) {
    if (value instanceof Sequence seq) {
      long n = (explicitVR ? 12 : 8) + 8;
      for (Attributes item : seq) {
        n += 16;
        for (int i = 0; i < item.size(); i++) {
          if (!Tag.isGroupLength(item.tagAt(i))) {
            n += encodedLength(item.vrAt(i), item.valueAt(i));
          }
        }
      }
      return n;
    }
    if (value instanceof Fragments frags) {
      long n = (explicitVR ? 12 : 8) + 8;
      for (byte[] item : frags.items()) {
        n += 8 + item.length + (item.length & 1);
      }
      return n;
    }
    int len = ((byte[]) value).length;
    int padded = len + (len & 1);
    boolean longHeader = !explicitVR || vr.hasLongHeader() || padded > 0xFFFF;
    return (longHeader ? (explicitVR ? 12 : 8) : 8) + padded;
  }

  private void ensure(int n) throws IOException {
    if (buf.length - count < n) {
      flushBuffer();
    }
  }

  private void flushBuffer() throws IOException {
    if (count > 0) {
      out.write(buf, 0, count);
      count = 0;
    }
  }

  @Override
  public void flush() throws IOException {
    flushBuffer();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flushBuffer();
    out.close();
  }
}
