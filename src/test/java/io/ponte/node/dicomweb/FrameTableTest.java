package io.ponte.node.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import io.ponte.error.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Frame tables of stored files, read from bytes: what cannot be cut is a 406, not a 500. */
class FrameTableTest {

  private static byte[] file(int numberOfFrames, VR vr, int tag, int bitsAllocated, int bytes)
      throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
    ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(numberOfFrames));
    ds.setInt(Tag.Rows, VR.US, 4);
    ds.setInt(Tag.Columns, VR.US, 4);
    ds.setInt(Tag.BitsAllocated, VR.US, bitsAllocated);
    byte[] pixels = new byte[bytes];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) i;
    }
    ds.setBytes(tag, vr, pixels);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DicomOutputStream out = new DicomOutputStream(b);
    out.writeFileMetaInformation(
        DicomOutputStream.createFileMetaInformation("1.2", "1.2.3", UID.ExplicitVRLittleEndian));
    out.writeDataset(ds, UID.ExplicitVRLittleEndian);
    out.flush();
    return b.toByteArray();
  }

  private static FrameTable read(byte[] file) throws IOException {
    return FrameTable.read(
        new ByteArrayInputStream(file),
        file.length,
        (offset, length) -> new ByteArrayInputStream(file, (int) offset, (int) length));
  }

  @Test
  void aStoredValueShorterThanItsFramesIsNotAcceptableNotAnInternalError() throws IOException {
    byte[] file = file(3, VR.OB, Tag.PixelData, 8, 16);
    assertThatThrownBy(() -> read(file))
        .isInstanceOf(ProblemException.class)
        .satisfies(e -> assertThat(((ProblemException) e).code().status()).isEqualTo(406))
        .hasMessageContaining("shorter than 3 frames");
  }

  @Test
  void framesOfFloatPixelDataAreCut() throws IOException {
    byte[] file = file(2, VR.OF, Tag.FloatPixelData, 32, 2 * 4 * 4 * 4);
    FrameTable table = read(file);
    assertThat(table.frames()).isEqualTo(2);
    long[] second = table.frame(2);
    assertThat(second[1]).isEqualTo(64);
    assertThat(file[(int) second[0]]).isEqualTo((byte) 64);
  }
}
