package io.ponte.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Re-encodes a Part 10 stream of an uncompressed transfer syntax (Implicit VR Little Endian,
 * Explicit VR Big Endian, Deflated Explicit VR Little Endian) as Explicit VR Little Endian, the
 * default of WADO-RS (PS3.18 8.7.3.5.2), streamed: the header before the pixel data is held (within
 * {@link DicomReadLimits}), the pixel data value is copied a buffer at a time (its words swapped
 * when big endian), then the elements after it. Encapsulated pixel data is refused: only native
 * syntaxes are re-encoded.
 */
public final class ExplicitLittleEndianRecoder {

  private static final int CHUNK = 64 * 1024;

  private ExplicitLittleEndianRecoder() {}

  /** Whether a stored syntax is one this class re-encodes (native, not already the target). */
  public static boolean recodes(String transferSyntaxUid) {
    return UID.ImplicitVRLittleEndian.equals(transferSyntaxUid)
        || UID.ExplicitVRBigEndian.equals(transferSyntaxUid)
        || UID.DeflatedExplicitVRLittleEndian.equals(transferSyntaxUid);
  }

  /** Reads the Part 10 stream {@code part10} and writes it to {@code out} (not closed). */
  public static void recode(InputStream part10, OutputStream out) throws IOException {
    DicomInputStream in = new DicomInputStream(part10);
    Attributes fmi = in.readFileMetaInformation();
    if (!recodes(in.transferSyntax())) {
      throw new DicomParseException(
          0, "not re-encoded from " + UID.nameOf(in.transferSyntax()) + " (native syntaxes only)");
    }
    Attributes ds = in.readDatasetUntilPixelData();
    String target = UID.ExplicitVRLittleEndian;
    DicomOutputStream dout = new DicomOutputStream(out);
    Attributes meta =
        DicomOutputStream.createFileMetaInformation(
            fmi != null ? fmi.getString(Tag.MediaStorageSOPClassUID) : null,
            fmi != null ? fmi.getString(Tag.MediaStorageSOPInstanceUID) : null,
            target);
    if (meta.getString(Tag.MediaStorageSOPClassUID) == null) {
      meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID));
      meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
    }
    dout.writeFileMetaInformation(meta);
    int written = -1; // the highest tag written so far
    boolean bigEndian = UID.isBigEndian(in.transferSyntax());
    while (true) {
      written = writeAbove(dout, ds, written, target);
      int pixelTag = in.pixelDataTag();
      if (pixelTag == 0) {
        break;
      }
      dout.flush();
      in.readPixelData(new Copy(out, bigEndian));
      written = pixelTag;
      ds = in.readDatasetUntilPixelData();
    }
    dout.flush();
  }

  /**
   * Writes the elements of {@code ds} whose tag is above {@code after} (the reader adds the ones
   * after the pixel data to the same object), returning the last tag written.
   */
  private static int writeAbove(DicomOutputStream dout, Attributes ds, int after, String ts)
      throws IOException {
    Attributes part = new Attributes(ds.size());
    int last = after;
    for (int i = 0; i < ds.size(); i++) {
      int tag = ds.tagAt(i);
      if (Integer.compareUnsigned(tag, after) > 0 || after == -1) {
        part.setValue(tag, ds.vrAt(i), ds.valueAt(i));
        last = tag;
      }
    }
    dout.writeDataset(part, ts);
    return last;
  }

  /** Writes a native pixel data element in Explicit VR Little Endian, swapping words if needed. */
  private static final class Copy implements DicomInputStream.PixelDataSink {
    private final OutputStream out;
    private final boolean bigEndian;
    private final byte[] chunk = new byte[CHUNK];
    private int unit = 1;
    private int held; // bytes in chunk not yet written (less than a unit after each call)

    Copy(OutputStream out, boolean bigEndian) {
      this.out = out;
      this.bigEndian = bigEndian;
    }

    @Override
    public void header(int tag, VR vr, long length) throws IOException {
      if (length > 0xFFFFFFFEL) {
        throw new DicomParseException(0, "pixel data too long for an explicit VR length");
      }
      unit = bigEndian ? Math.max(1, vr.unitSize()) : 1;
      if (length % Math.max(1, vr.unitSize()) != 0) {
        // PS3.5 6.2: OW, OF, OL and OD values are whole words; a trailing part would be lost
        throw new DicomParseException(
            0,
            Tag.toString(tag)
                + " "
                + vr
                + " of "
                + length
                + " bytes is not whole "
                + vr.unitSize()
                + "-byte values");
      }
      VR written = vr.hasLongHeader() ? vr : VR.UN;
      byte[] h = new byte[12];
      ByteUtil.putInt16(h, 0, tag >>> 16);
      ByteUtil.putInt16(h, 2, tag);
      h[4] = (byte) (written.code >> 8);
      h[5] = (byte) written.code;
      ByteUtil.putInt32(h, 8, (int) length);
      out.write(h);
    }

    @Override
    public void value(byte[] b, int off, int len) throws IOException {
      if (unit == 1) {
        out.write(b, off, len);
        return;
      }
      while (len > 0) {
        int k = Math.min(len, chunk.length - held);
        System.arraycopy(b, off, chunk, held, k);
        held += k;
        off += k;
        len -= k;
        int whole = held - held % unit;
        ByteUtil.swap(chunk, 0, whole, unit);
        out.write(chunk, 0, whole);
        System.arraycopy(chunk, whole, chunk, 0, held - whole);
        held -= whole;
      }
    }
  }
}
