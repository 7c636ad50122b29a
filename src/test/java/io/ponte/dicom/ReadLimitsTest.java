package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.testing.HugeElementInstance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The reader holds no more than its limits allow, whatever the input declares or delivers. */
class ReadLimitsTest {

  private static final long MB = 1L << 20;

  /** Counts what the reader pulled from the stream. */
  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }
  }

  private static HugeElementInstance huge(long bytes) {
    return new HugeElementInstance("1.2.3", "1.2.3.4", "1.2.3.4.5", bytes);
  }

  @Test
  void refusesA200MegabyteHeaderElementBeforeReadingAnyOfIt() {
    Counting in = new Counting(huge(200 * MB).part10());
    assertThatThrownBy(
            () ->
                new DicomInputStream(in, new DicomReadLimits(MB, 8 * MB))
                    .readDatasetUntilPixelData())
        .isInstanceOf(DicomValueTooLongException.class)
        .satisfies(
            e -> {
              DicomValueTooLongException t = (DicomValueTooLongException) e;
              assertThat(t.tag()).isEqualTo(HugeElementInstance.HUGE_TAG);
              assertThat(t.length()).isEqualTo(200 * MB);
              assertThat(t.limit()).isEqualTo(MB);
            })
        .hasMessageContaining("(0009,1010)");
    // Only the header and one buffer of the value were read: nothing near 200 MB.
    assertThat(in.count).isLessThan(64 * 1024);
  }

  @Test
  void readersTakeTheProcessDefaultsWhenGivenNone() {
    DicomReadLimits saved = DicomReadLimits.defaults();
    try {
      DicomReadLimits.setDefaults(new DicomReadLimits(4096, MB));
      assertThatThrownBy(
              () ->
                  DicomInputStream.ofDataset(huge(5000).dataset(), UID.ExplicitVRLittleEndian)
                      .readDatasetUntilPixelData())
          .isInstanceOf(DicomValueTooLongException.class);
    } finally {
      DicomReadLimits.setDefaults(saved);
    }
    assertThat(DicomReadLimits.defaults()).isEqualTo(DicomReadLimits.BUILT_IN);
  }

  @Test
  void theBuiltInDefaultsRefuseTheIssuesHeaderElements() {
    assertThatThrownBy(() -> new DicomInputStream(huge(400 * MB).part10()).readDataset())
        .isInstanceOf(DicomValueTooLongException.class);
    assertThatThrownBy(
            () ->
                DicomInputStream.ofDataset(huge(700 * MB).dataset(), UID.ExplicitVRLittleEndian)
                    .readDatasetUntilPixelData())
        .isInstanceOf(DicomValueTooLongException.class);
  }

  @Test
  void aValueUnderTheLimitIsRead() throws IOException {
    Attributes ds =
        new DicomInputStream(huge(1000).part10(), new DicomReadLimits(1000, MB)).readDataset();
    assertThat(ds.getBytes(HugeElementInstance.HUGE_TAG)).hasSize(1000);
    assertThat(ds.getBytes(Tag.PixelData)).hasSize(128);
  }

  @Test
  void topLevelPixelDataIsExemptButPixelDataInASequenceCounts() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
    ds.setBytes(Tag.PixelData, VR.OW, new byte[64 * 1024]);
    byte[] bytes = write(ds);
    DicomReadLimits small = new DicomReadLimits(1024, 16 * 1024);
    Attributes read =
        DicomInputStream.ofDataset(
                new ByteArrayInputStream(bytes), UID.ExplicitVRLittleEndian, small)
            .readDataset();
    assertThat(read.getBytes(Tag.PixelData)).hasSize(64 * 1024);

    Attributes outer = new Attributes();
    // (0088,0200) Icon Image Sequence
    outer.newSequence(0x00880200).addItem().setBytes(Tag.PixelData, VR.OW, new byte[4096]);
    byte[] nested = write(outer);
    assertThatThrownBy(
            () ->
                DicomInputStream.ofDataset(
                        new ByteArrayInputStream(nested), UID.ExplicitVRLittleEndian, small)
                    .readDataset())
        .isInstanceOf(DicomValueTooLongException.class)
        .hasMessageContaining("(7FE0,0010)");
  }

  @Test
  void floatPixelDataIsSkippedNotHeldLikePixelData() throws IOException {
    // 200 MB of Float Pixel Data (a parametric map), 50 frames of 1024 x 1024 floats.
    HugeElementInstance map =
        HugeElementInstance.floatPixels("1.2.3", "1.2.3.4", "1.2.3.4.5", 1024, 1024, 50);
    Counting in = new Counting(map.part10());
    DicomInputStream dicom = new DicomInputStream(in, new DicomReadLimits(MB, 8 * MB));
    Attributes header = dicom.readDatasetUntilPixelData();
    assertThat(header.getInt(Tag.Rows, 0)).isEqualTo(1024);
    assertThat(header.contains(Tag.FloatPixelData)).isFalse();
    assertThat(in.count).isLessThan(64 * 1024);

    PixelDataElement pixels = dicom.readRestSkippingPixelData();
    assertThat(pixels.tag()).isEqualTo(Tag.FloatPixelData);
    assertThat(pixels.vr()).isEqualTo(VR.OF);
    assertThat(pixels.valueLength()).isEqualTo(200 * MB);
    assertThat(in.count).isGreaterThan(200 * MB);
    assertThat(dicom.readDataset().contains(Tag.FloatPixelData)).isFalse();
  }

  @Test
  void aFloodOfSmallElementsIsBoundedByTheHeaderLimit() throws IOException {
    Attributes ds = new Attributes();
    for (int i = 0; i < 200; i++) {
      ds.setBytes(0x00091000 + 0x10 + i, VR.OB, new byte[500]);
    }
    ds.setString(0x00090010, VR.LO, "PONTE TEST");
    byte[] bytes = write(ds);
    assertThatThrownBy(
            () ->
                DicomInputStream.ofDataset(
                        new ByteArrayInputStream(bytes),
                        UID.ExplicitVRLittleEndian,
                        new DicomReadLimits(1024, 32 * 1024))
                    .readDatasetUntilPixelData())
        .isInstanceOf(DicomValueTooLongException.class)
        .hasMessageContaining("data set held in memory");
  }

  @Test
  void refusesATransferSyntaxItDoesNotKnowInsteadOfGuessing() {
    assertThatThrownBy(() -> new DicomInputStream(huge(10).part10Claiming("1.2.3.4.5.6")))
        .isInstanceOf(UnknownTransferSyntaxException.class)
        .hasMessageContaining("1.2.3.4.5.6");
    assertThatThrownBy(
            () -> DicomInputStream.ofDataset(new ByteArrayInputStream(new byte[8]), "1.2.3"))
        .isInstanceOf(UnknownTransferSyntaxException.class);
    assertThat(UID.isTransferSyntax(UID.JPEG2000Lossless)).isTrue();
    assertThat(UID.isTransferSyntax("1.2.840.10008.1.2.4.999")).isFalse();
  }

  private static byte[] write(Attributes ds) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DicomOutputStream out = new DicomOutputStream(b);
    out.writeDataset(ds, UID.ExplicitVRLittleEndian);
    out.flush();
    return b.toByteArray();
  }
}
