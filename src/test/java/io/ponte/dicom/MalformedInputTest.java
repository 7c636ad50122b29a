package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Bad input ends in a DicomParseException that says where and why: never another exception, hang or
 * OOM.
 */
class MalformedInputTest {

  static Attributes read(byte[] b) throws IOException {
    try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(b))) {
      return in.readDataset();
    }
  }

  static DicomParseException failure(byte[] b) {
    try {
      read(b);
    } catch (DicomParseException e) {
      return e;
    } catch (IOException e) {
      throw new AssertionError("not a DicomParseException", e);
    }
    throw new AssertionError("parsed without error");
  }

  @Test
  void rejectsAnEmptyFile() {
    DicomParseException e = failure(new byte[0]);
    assertThat(e.offset()).isZero();
    assertThat(e.getMessage()).isEqualTo("at byte 0: empty input: not a DICOM file");
  }

  @Test
  void rejectsAPreambleWithoutDicm() {
    byte[] b = new Bytes().raw(new byte[128]).ascii("DICX").el(Tag.PatientID, "LO", "X1").toArray();
    DicomParseException e = failure(b);
    assertThat(e.offset()).isEqualTo(128);
    assertThat(e.getMessage()).contains("no DICM");
  }

  @Test
  void rejectsABadVR() {
    byte[] b = Bytes.part10(UID.ExplicitVRLittleEndian).el(Tag.PatientID, "zz", "X1").toArray();
    DicomParseException e = failure(b);
    assertThat(e.getMessage()).contains("bad VR").contains("(0010,0020)");
    assertThat(e.offset()).isEqualTo(b.length - 2 - 4);
  }

  @Test
  void rejectsABinaryValueWhoseLengthIsNotAMultipleOfItsUnit() {
    byte[] b =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .tag(Tag.Rows)
            .ascii("US")
            .u16(3)
            .raw(new byte[4])
            .toArray();
    assertThat(failure(b).getMessage()).contains("not a multiple of 2");
  }

  @Test
  void rejectsATruncatedHeader() {
    byte[] b =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .el(Tag.PatientID, "LO", "X1")
            .tag(Tag.PatientName)
            .toArray();
    assertThat(failure(b).getMessage()).contains("truncated");
  }

  @Test
  void rejectsAValueLongerThanTheStreamWithoutAllocatingIt() {
    long before = allocatedBytes();
    byte[] b =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .tag(Tag.PixelData)
            .ascii("OB")
            .u16(0)
            .u32(0x7FFF0000L)
            .raw(new byte[100])
            .toArray();
    DicomParseException e = failure(b);
    long used = allocatedBytes() - before;
    assertThat(e.getMessage()).contains("truncated").contains("2147418112");
    assertThat(used).as("bytes allocated for a 2 GB length on a short stream").isLessThan(8L << 20);
    byte[] four =
        Bytes.part10(UID.ImplicitVRLittleEndian)
            .tag(Tag.PatientID)
            .u32(0xFFFFFFF0L)
            .raw(new byte[90])
            .toArray();
    assertThat(failure(four).getMessage()).contains("(0010,0020)");
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void rejectsAbsurdNesting() {
    Bytes b = Bytes.part10(UID.ExplicitVRLittleEndian);
    for (int i = 0; i < 1000; i++) {
      b.tag(Tag.ReferencedSeriesSequence).ascii("SQ").u16(0).u32(0xFFFFFFFFL);
      b.tag(Tag.Item).u32(0xFFFFFFFFL);
    }
    DicomParseException e = failure(b.toArray());
    assertThat(e.getMessage()).contains("nested deeper than 64");
  }

  @Test
  void acceptsDeepButReasonableNesting() throws IOException {
    Bytes b = Bytes.part10(UID.ExplicitVRLittleEndian);
    for (int i = 0; i < 60; i++) {
      b.tag(Tag.ReferencedSeriesSequence).ascii("SQ").u16(0).u32(0xFFFFFFFFL);
      b.tag(Tag.Item).u32(0xFFFFFFFFL);
    }
    b.el(Tag.PatientID, "LO", "DEEP");
    for (int i = 0; i < 60; i++) {
      b.tag(Tag.ItemDelimitationItem).u32(0);
      b.tag(Tag.SequenceDelimitationItem).u32(0);
    }
    Attributes a = read(b.toArray());
    for (int i = 0; i < 60; i++) {
      a = a.getSequence(Tag.ReferencedSeriesSequence).get(0);
    }
    assertThat(a.getString(Tag.PatientID)).isEqualTo("DEEP");
  }

  @Test
  void toleratesAFewElementsOutOfOrderButNotAFlood() throws IOException {
    byte[] few =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .el(Tag.PatientID, "LO", "X1")
            .el(Tag.PatientName, "PN", "A^B")
            .toArray();
    Attributes a = read(few);
    assertThat(a.tagAt(0)).isEqualTo(Tag.PatientName);
    assertThat(a.tagAt(1)).isEqualTo(Tag.PatientID);
    Bytes flood = Bytes.part10(UID.ExplicitVRLittleEndian);
    for (int e = 0xF000; e > 0; e--) {
      flood.el(0x00090000 | e, "LO", "");
    }
    assertThat(failure(flood.toArray()).getMessage()).contains("out of tag order");
  }

  @Test
  void rejectsUndefinedLengthOnAnElementThatIsNotASequence() {
    byte[] b =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .tag(Tag.PatientComments)
            .ascii("UT")
            .u16(0)
            .u32(0xFFFFFFFFL)
            .toArray();
    assertThat(failure(b).getMessage()).contains("undefined length").contains("(0010,4000)");
  }

  @Test
  void rejectsAnItemThatOverrunsItsSequence() {
    byte[] b =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .tag(Tag.ReferencedSeriesSequence)
            .ascii("SQ")
            .u16(0)
            .u32(16)
            .tag(Tag.Item)
            .u32(40)
            .el(Tag.SeriesInstanceUID, "UI", "1.2")
            .toArray();
    assertThat(failure(b).getMessage()).contains("beyond the end of sequence");
  }

  @Test
  void rejectsSomethingElseThanAnItemInASequence() {
    byte[] b =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .tag(Tag.ReferencedSeriesSequence)
            .ascii("SQ")
            .u16(0)
            .u32(0xFFFFFFFFL)
            .el(Tag.SeriesInstanceUID, "UI", "1.2")
            .toArray();
    assertThat(failure(b).getMessage()).contains("expected an item");
  }

  @Test
  void rejectsCorruptDeflatedData() {
    byte[] b =
        Bytes.part10(UID.DeflatedExplicitVRLittleEndian)
            .raw(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})
            .toArray();
    assertThat(failure(b).getMessage()).contains("deflate");
  }

  @Test
  void rejectsAStrayDelimiterAtTopLevel() {
    byte[] b =
        Bytes.part10(UID.ExplicitVRLittleEndian).tag(Tag.SequenceDelimitationItem).u32(0).toArray();
    assertThat(failure(b).getMessage()).contains("outside a sequence");
  }

  @Test
  void readsAnUndefinedLengthUnAsAnImplicitVrSequence() throws IOException {
    // CP-246: explicit VR UN of undefined length holds an implicit VR LE sequence.
    byte[] b =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .el(0x00090010, "LO", "ACME 1.0")
            .tag(0x00091001)
            .ascii("UN")
            .u16(0)
            .u32(0xFFFFFFFFL)
            .tag(Tag.Item)
            .u32(0xFFFFFFFFL)
            .tag(Tag.PatientID)
            .u32(4)
            .ascii("ID42")
            .tag(Tag.ItemDelimitationItem)
            .u32(0)
            .tag(Tag.SequenceDelimitationItem)
            .u32(0)
            .el(Tag.PatientName, "PN", "Doe^J ")
            .toArray();
    Attributes a = read(b);
    assertThat(a.getVR(0x00091001)).isEqualTo(VR.SQ);
    assertThat(a.getSequence(0x00091001).get(0).getString(Tag.PatientID)).isEqualTo("ID42");
    assertThat(a.getString(Tag.PatientName)).isEqualTo("Doe^J");
  }

  @Test
  void neverReadsPastTheEndWhenTheStreamIsSlow() throws IOException {
    // A stream that hands out one byte per read must give the same result as a fast one.
    byte[] b =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .el(Tag.PatientID, "LO", "AB")
            .tag(Tag.PixelData)
            .ascii("OB")
            .u16(0)
            .u32(70000)
            .raw(new byte[70000])
            .toArray();
    InputStream slow =
        new ByteArrayInputStream(b) {
          @Override
          public synchronized int read(byte[] buf, int off, int len) {
            return super.read(buf, off, Math.min(len, 1));
          }

          @Override
          public synchronized int available() {
            return 0;
          }
        };
    try (DicomInputStream in = new DicomInputStream(slow)) {
      Attributes a = in.readDataset();
      assertThat(a.getBytes(Tag.PixelData)).hasSize(70000);
      assertThat(in.position()).isEqualTo(b.length);
    }
  }

  @Test
  void toleratesTrailingZeroPaddingButNotGarbageAfterIt() throws IOException {
    byte[] ok =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .el(Tag.PatientID, "LO", "AB")
            .raw(new byte[300])
            .toArray();
    assertThat(read(ok).getString(Tag.PatientID)).isEqualTo("AB");
    byte[] bad =
        Bytes.part10(UID.ExplicitVRLittleEndian)
            .el(Tag.PatientID, "LO", "AB")
            .raw(new byte[300])
            .ascii("X")
            .toArray();
    assertThatThrownBy(() -> read(bad))
        .isInstanceOf(DicomParseException.class)
        .hasMessageContaining("after zero padding");
  }
}
