package io.ponte.testing;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import io.ponte.stream.BlockInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A CT instance (explicit VR little endian) with a private OB element of any length before its
 * small Pixel Data, or a parametric map with Float Pixel Data of any length ({@link #floatPixels}),
 * generated as a stream: the large value is zeros produced as they are read, never held, so a test
 * can send hundreds of megabytes with a small heap.
 */
public final class HugeElementInstance {

  /** The private element carrying the large value, under creator "PONTE TEST" in group 0009. */
  public static final int HUGE_TAG = 0x00091010;

  private static final String PARAMETRIC_MAP = "1.2.840.10008.5.1.4.1.1.30";

  private final String study;
  private final String series;
  private final String sop;
  private final long hugeBytes;
  private final int floatRows;
  private final int floatColumns;

  public HugeElementInstance(String study, String series, String sop, long hugeBytes) {
    this(study, series, sop, hugeBytes, 0, 0);
  }

  private HugeElementInstance(
      String study, String series, String sop, long hugeBytes, int floatRows, int floatColumns) {
    this.study = study;
    this.series = series;
    this.sop = sop;
    this.hugeBytes = hugeBytes;
    this.floatRows = floatRows;
    this.floatColumns = floatColumns;
  }

  /**
   * A parametric map whose large value is its Float Pixel Data (7FE0,0008) OF, the last element:
   * {@code frames} frames of {@code rows} x {@code columns} 32-bit floats, all zeros.
   */
  public static HugeElementInstance floatPixels(
      String study, String series, String sop, int rows, int columns, int frames) {
    return new HugeElementInstance(study, series, sop, 4L * rows * columns * frames, rows, columns);
  }

  private boolean floatPixels() {
    return floatRows > 0;
  }

  public String sopInstanceUid() {
    return sop;
  }

  /** The bare data set, as C-STORE sends it. */
  public InputStream dataset() {
    return stream(false, UID.ExplicitVRLittleEndian);
  }

  /** A Part 10 stream, as STOW-RS sends it. */
  public InputStream part10() {
    return stream(true, UID.ExplicitVRLittleEndian);
  }

  /**
   * A Part 10 stream whose meta names {@code transferSyntaxUid} (the data set stays explicit LE).
   */
  public InputStream part10Claiming(String transferSyntaxUid) {
    return stream(true, transferSyntaxUid);
  }

  private InputStream stream(boolean part10, String metaTransferSyntax) {
    Attributes before = new Attributes();
    before.setString(Tag.SOPClassUID, VR.UI, floatPixels() ? PARAMETRIC_MAP : UID.CTImageStorage);
    before.setString(Tag.SOPInstanceUID, VR.UI, sop);
    before.setString(Tag.Modality, VR.CS, floatPixels() ? "OT" : "CT");
    if (!floatPixels()) {
      before.setString(0x00090010, VR.LO, "PONTE TEST");
    }
    Attributes after = floatPixels() ? before : new Attributes();
    after.setString(Tag.PatientName, VR.PN, "Huge^Header");
    after.setString(Tag.PatientID, VR.LO, "HUGE-1");
    after.setString(Tag.StudyInstanceUID, VR.UI, study);
    after.setString(Tag.SeriesInstanceUID, VR.UI, series);
    after.setInt(Tag.SamplesPerPixel, VR.US, 1);
    after.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    if (floatPixels()) {
      long frames = hugeBytes / (4L * floatRows * floatColumns);
      after.setString(Tag.NumberOfFrames, VR.IS, Long.toString(frames));
      after.setInt(Tag.Rows, VR.US, floatRows);
      after.setInt(Tag.Columns, VR.US, floatColumns);
      after.setInt(Tag.BitsAllocated, VR.US, 32);
    } else {
      after.setInt(Tag.Rows, VR.US, 8);
      after.setInt(Tag.Columns, VR.US, 8);
      after.setInt(Tag.BitsAllocated, VR.US, 16);
      after.setInt(Tag.BitsStored, VR.US, 16);
      after.setInt(Tag.HighBit, VR.US, 15);
      after.setInt(Tag.PixelRepresentation, VR.US, 0);
      after.setBytes(Tag.PixelData, VR.OW, new byte[8 * 8 * 2]);
    }
    byte[] head;
    byte[] tail = new byte[0];
    try {
      ByteArrayOutputStream h = new ByteArrayOutputStream();
      DicomOutputStream out = new DicomOutputStream(h);
      if (part10) {
        out.writeFileMetaInformation(
            DicomOutputStream.createFileMetaInformation(
                floatPixels() ? PARAMETRIC_MAP : UID.CTImageStorage, sop, metaTransferSyntax));
      }
      out.writeDataset(before, UID.ExplicitVRLittleEndian);
      out.flush();
      // (0009,1010) OB or (7FE0,0008) OF, 4-byte length: the value follows as generated zeros.
      h.write(
          floatPixels()
              ? new byte[] {(byte) 0xE0, 0x7F, 0x08, 0x00, 'O', 'F', 0, 0}
              : new byte[] {0x09, 0x00, 0x10, 0x10, 'O', 'B', 0, 0});
      h.write(
          new byte[] {
            (byte) hugeBytes,
            (byte) (hugeBytes >>> 8),
            (byte) (hugeBytes >>> 16),
            (byte) (hugeBytes >>> 24)
          });
      head = h.toByteArray();
      if (!floatPixels()) {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        DicomOutputStream tailOut = new DicomOutputStream(t);
        tailOut.writeDataset(after, UID.ExplicitVRLittleEndian);
        tailOut.flush();
        tail = t.toByteArray();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SequenceInputStream(
        java.util.Collections.enumeration(
            List.of(
                new ByteArrayInputStream(head), zeros(hugeBytes), new ByteArrayInputStream(tail))));
  }

  /** {@code n} zero bytes, produced as read. */
  public static InputStream zeros(long n) {
    return new BlockInputStream() {
      private long left = n;

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int k = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + k, (byte) 0);
        left -= k;
        return k;
      }
    };
  }
}
