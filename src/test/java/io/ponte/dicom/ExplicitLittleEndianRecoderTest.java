package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Re-encoding to Explicit VR Little Endian: what must not be lost or changed on the way. */
class ExplicitLittleEndianRecoderTest {

  private static final String SOP = "1.2.3.4";

  /**
   * A Part 10 Explicit VR Big Endian object whose Float Pixel Data value is {@code length} bytes.
   */
  private static byte[] bigEndianFloatPixels(int length) {
    ByteBuffer ds = ByteBuffer.allocate(64 + length).order(ByteOrder.BIG_ENDIAN);
    shortElement(ds, 0x00080016, "UI", ascii("1.2.840.10008.5.1.4.1.1.30\0"));
    shortElement(ds, 0x00080018, "UI", ascii(SOP + "\0"));
    ds.putShort((short) 0x7FE0).putShort((short) 0x0008).put(ascii("OF")).putShort((short) 0);
    ds.putInt(length);
    for (int i = 0; i < length / 4; i++) {
      ds.putFloat(i + 0.5f);
    }
    for (int i = 0; i < length % 4; i++) {
      ds.put((byte) 0);
    }
    byte[] meta = Bytes.part10(UID.ExplicitVRBigEndian).toArray();
    byte[] all = new byte[meta.length + ds.position()];
    System.arraycopy(meta, 0, all, 0, meta.length);
    System.arraycopy(ds.array(), 0, all, meta.length, ds.position());
    return all;
  }

  private static void shortElement(ByteBuffer b, int tag, String vr, byte[] value) {
    b.putShort((short) (tag >>> 16)).putShort((short) tag).put(ascii(vr));
    b.putShort((short) value.length).put(value);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static Attributes reread(byte[] part10) throws Exception {
    DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(part10));
    in.readFileMetaInformation();
    assertThat(in.transferSyntax()).isEqualTo(UID.ExplicitVRLittleEndian);
    return in.readDataset();
  }

  @Test
  void floatPixelDataFromBigEndianIsSwappedValueByValue() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExplicitLittleEndianRecoder.recode(new ByteArrayInputStream(bigEndianFloatPixels(44)), out);
    byte[] value = (byte[]) reread(out.toByteArray()).getValue(0x7FE00008);
    ByteBuffer le = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(value).hasSize(44);
    assertThat(le.getFloat(0)).isEqualTo(0.5f);
    assertThat(le.getFloat(40)).isEqualTo(10.5f);
  }

  @Test
  void aFloatValueThatIsNotWholeFloatsIsRefusedNotCutShort() {
    // 42 bytes of OF: the last two belong to no float; swapped in 4-byte units they were dropped
    // while the header still said 42, shifting every element after it
    assertThatThrownBy(
            () ->
                ExplicitLittleEndianRecoder.recode(
                    new ByteArrayInputStream(bigEndianFloatPixels(42)),
                    new ByteArrayOutputStream()))
        .isInstanceOf(DicomParseException.class)
        .hasMessageContaining("not whole 4-byte values");
  }

  @Test
  void lutDescriptorsStayUnsignedWhenPixelsAreSigned() throws Exception {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
    ds.setString(Tag.SOPInstanceUID, VR.UI, SOP);
    ds.setInt(Tag.PixelRepresentation, VR.US, 1);
    ds.setInt(0x00280106, VR.SS, -2000); // Smallest Image Pixel Value: US or SS, here SS
    ds.setInt(0x00283002, VR.US, 40000, 0, 16); // LUT Descriptor: 40,000 entries
    ByteArrayOutputStream implicit = new ByteArrayOutputStream();
    DicomOutputStream dout = new DicomOutputStream(implicit);
    dout.writeFileMetaInformation(
        DicomOutputStream.createFileMetaInformation(
            "1.2.840.10008.5.1.4.1.1.2", SOP, UID.ImplicitVRLittleEndian));
    dout.writeDataset(ds, UID.ImplicitVRLittleEndian);
    dout.flush();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExplicitLittleEndianRecoder.recode(new ByteArrayInputStream(implicit.toByteArray()), out);
    Attributes recoded = reread(out.toByteArray());
    assertThat(recoded.getVR(0x00283002)).isEqualTo(VR.US);
    assertThat(recoded.getInts(0x00283002)).containsExactly(40000, 0, 16);
    assertThat(recoded.getVR(0x00280106)).isEqualTo(VR.SS);
    assertThat(recoded.getInts(0x00280106)).containsExactly(-2000);
  }
}
