package io.ponte.node.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A re-encoded instance is read to its indexed size, as a copied one is: a stored object cut short
 * at an element boundary re-encodes cleanly into a smaller valid object, which must not go out.
 */
class RecodedInstanceLengthTest {

  private static byte[] implicitInstance(boolean withTrailingElement) throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4");
    ds.setString(Tag.PatientName, VR.PN, "Doe^Jane");
    if (withTrailingElement) {
      ds.setBytes(Tag.PixelData, VR.OW, new byte[64]);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DicomOutputStream out = new DicomOutputStream(bytes);
    out.writeFileMetaInformation(
        DicomOutputStream.createFileMetaInformation(
            "1.2.840.10008.5.1.4.1.1.7", "1.2.3.4", UID.ImplicitVRLittleEndian));
    out.writeDataset(ds, UID.ImplicitVRLittleEndian);
    out.flush();
    return bytes.toByteArray();
  }

  @Test
  void aStoredObjectShorterThanIndexedIsNotServed() throws Exception {
    byte[] whole = implicitInstance(true);
    byte[] cut = implicitInstance(false); // the same object without its last element
    assertThatThrownBy(
            () ->
                WadoService.recode(
                    new ByteArrayInputStream(cut),
                    new ByteArrayOutputStream(),
                    "1.2.3.4",
                    whole.length))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("indexed " + whole.length);
  }

  @Test
  void aWholeStoredObjectIsServedReencoded() throws Exception {
    byte[] whole = implicitInstance(true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WadoService.recode(new ByteArrayInputStream(whole), out, "1.2.3.4", whole.length);
    assertThat(new String(out.toByteArray(), 128, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("DICM");
    assertThat(out.size()).isGreaterThan(whole.length); // explicit VR headers are longer
  }
}
