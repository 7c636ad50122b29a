package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link DicomInputStream#readRestSkippingPixelData()}: the whole data set is read and checked,
 * including what follows the pixel data, while the pixel value is dropped.
 */
class PixelDataSkipTest {

  private static Attributes image() {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
    ds.setInt(Tag.Rows, VR.US, 64);
    ds.setInt(Tag.Columns, VR.US, 64);
    ds.setInt(Tag.BitsAllocated, VR.US, 16);
    byte[] pixels = new byte[64 * 64 * 2];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 31 + i / 7);
    }
    ds.setBytes(Tag.PixelData, VR.OW, pixels);
    return ds;
  }

  private static byte[] write(Attributes ds, String ts) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DicomOutputStream out = new DicomOutputStream(b);
    out.writeFileMetaInformation(DicomOutputStream.createFileMetaInformation("1.2", "1.2.3", ts));
    out.writeDataset(ds, ts);
    out.flush();
    return b.toByteArray();
  }

  private static PixelDataElement skip(byte[] file) throws IOException {
    return new DicomInputStream(new ByteArrayInputStream(file)).readRestSkippingPixelData();
  }

  @Test
  void aDeflatedDataSetCutInsideItsPixelDataFails() throws IOException {
    byte[] file = write(image(), UID.DeflatedExplicitVRLittleEndian);
    assertThat(skip(file).valueLength()).isEqualTo(64 * 64 * 2);
    byte[] cut = Arrays.copyOf(file, file.length / 2);
    // The header before the pixel data is complete, so only reading to the end finds the cut.
    new DicomInputStream(new ByteArrayInputStream(cut)).readDatasetUntilPixelData();
    assertThatThrownBy(() -> skip(cut))
        .isInstanceOf(DicomParseException.class)
        .hasMessageContaining("deflated data ends prematurely");
  }

  @Test
  void aCorruptDeflatedDataSetFails() throws IOException {
    byte[] file = write(image(), UID.DeflatedExplicitVRLittleEndian);
    byte[] corrupt = file.clone();
    for (int i = corrupt.length - 200; i < corrupt.length - 100; i++) {
      corrupt[i] = (byte) 0xFF;
    }
    assertThatThrownBy(() -> skip(corrupt)).isInstanceOf(DicomParseException.class);
  }

  @Test
  void aNativeValueOrFragmentCutShortFails() throws IOException {
    byte[] file = write(image(), UID.ExplicitVRLittleEndian);
    assertThatThrownBy(() -> skip(Arrays.copyOf(file, file.length - 10)))
        .isInstanceOf(DicomParseException.class)
        .hasMessageContaining("(7FE0,0010) truncated");

    Attributes ds = image();
    Fragments frags = new Fragments(VR.OB);
    frags.add(new byte[0]);
    frags.add(new byte[100]);
    ds.setValue(Tag.PixelData, VR.OB, frags);
    byte[] encapsulated = write(ds, UID.RLELossless);
    PixelDataElement pixels = skip(encapsulated);
    assertThat(pixels.encapsulated()).isTrue();
    assertThat(pixels.fragments()).isEqualTo(2);
    assertThatThrownBy(() -> skip(Arrays.copyOf(encapsulated, encapsulated.length - 8)))
        .isInstanceOf(DicomParseException.class)
        .hasMessageContaining("encapsulated pixel data");
  }

  @Test
  void elementsAfterThePixelDataAreReadAndChecked() throws IOException {
    Attributes ds = image();
    ds.setString(0x7FE10010, VR.LO, "TRAILING CREATOR");
    byte[] file = write(ds, UID.ExplicitVRLittleEndian);
    DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file));
    assertThat(in.readRestSkippingPixelData().tag()).isEqualTo(Tag.PixelData);
    Attributes read = in.readDataset();
    assertThat(read.getString(0x7FE10010)).isEqualTo("TRAILING CREATOR");
    assertThat(read.contains(Tag.PixelData)).isFalse();

    Attributes signed = image();
    // (FFFA,FFFA) Digital Signatures Sequence, cut inside its item.
    signed.newSequence(0xFFFAFFFA).addItem().setInt(0x04000005, VR.US, 1);
    byte[] whole = write(signed, UID.ExplicitVRLittleEndian);
    assertThatThrownBy(() -> skip(Arrays.copyOf(whole, whole.length - 4)))
        .isInstanceOf(DicomParseException.class);
  }
}
