package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.Dcmtk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomOutputStreamTest {

  @TempDir Path tmp;

  static Attributes sample() {
    Attributes ds = new Attributes();
    ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
    ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.45"); // odd: padded with NUL
    ds.setString(Tag.PatientName, VR.PN, "Gonçalves^João"); // 14 bytes
    ds.setString(Tag.PatientID, VR.LO, "ABC"); // odd: padded with space
    ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY");
    ds.setInt(Tag.Rows, VR.US, 512);
    ds.setInt(Tag.InstanceNumber, VR.IS, 7);
    ds.setBytes(0x00091001, VR.OB, new byte[] {1, 2, 3}); // odd OB: padded with 0
    ds.setString(0x00090010, VR.LO, "PONTE");
    Attributes item = ds.newSequence(Tag.ReferencedSeriesSequence).addItem();
    item.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3");
    ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 0, 2, 0});
    return ds;
  }

  static byte[] write(Attributes ds, String ts, boolean meta) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (DicomOutputStream out = new DicomOutputStream(bo)) {
      if (meta) {
        out.writeFileMetaInformation(
            DicomOutputStream.createFileMetaInformation(
                ds.getString(Tag.SOPClassUID), ds.getString(Tag.SOPInstanceUID), ts));
      }
      out.writeDataset(ds, ts);
    }
    return bo.toByteArray();
  }

  @Test
  void padsOddValuesPerVR() throws IOException {
    byte[] b = write(sample(), UID.ExplicitVRLittleEndian, true);
    Attributes back = MalformedInputTest.read(b);
    assertThat(back.getBytes(Tag.SOPInstanceUID))
        .containsExactly('1', '.', '2', '.', '3', '.', '4', '5');
    assertThat(back.getBytes(Tag.PatientID)).containsExactly('A', 'B', 'C', ' ');
    assertThat(back.getBytes(0x00091001)).containsExactly(1, 2, 3, 0);
    assertThat(back.getString(Tag.SOPInstanceUID)).isEqualTo("1.2.3.45");
    assertThat(back.getString(Tag.PatientName)).isEqualTo("Gonçalves^João");
    assertThat(back.getStrings(Tag.ImageType)).containsExactly("ORIGINAL", "PRIMARY");
    assertThat(back.getInt(Tag.Rows, 0)).isEqualTo(512);
    assertThat(back.getInt(Tag.InstanceNumber, 0)).isEqualTo(7);
  }

  @Test
  void computesTheMetaGroupLength() throws IOException {
    byte[] b = write(sample(), UID.ExplicitVRLittleEndian, true);
    try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(b))) {
      Attributes fmi = in.readFileMetaInformation();
      long declared = ByteUtil.int32(fmi.getBytes(Tag.FileMetaInformationGroupLength), 0);
      // Meta starts after preamble (128) + DICM (4) + the group length element (12).
      in.readDatasetUntilPixelData();
      assertThat(in.warnings()).isEmpty();
      assertThat(fmi.getString(Tag.TransferSyntaxUID)).isEqualTo(UID.ExplicitVRLittleEndian);
      assertThat(fmi.getString(Tag.ImplementationClassUID))
          .isEqualTo(DicomOutputStream.IMPLEMENTATION_CLASS_UID);
      int metaEnd = 144 + (int) declared;
      assertThat(ByteUtil.uint16(b, metaEnd))
          .isEqualTo(0x0008); // data set's first group starts there
    }
  }

  @Test
  void writesEveryTransferSyntaxReadBackIdentically() throws IOException {
    Attributes ds = sample();
    for (String ts :
        List.of(
            UID.ExplicitVRLittleEndian,
            UID.ImplicitVRLittleEndian,
            UID.ExplicitVRBigEndian,
            UID.DeflatedExplicitVRLittleEndian)) {
      byte[] b = write(ds, ts, true);
      try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(b))) {
        Attributes back = in.readDataset();
        assertThat(in.transferSyntax()).isEqualTo(ts);
        assertThat(back.getString(Tag.PatientName)).as(ts).isEqualTo("Gonçalves^João");
        assertThat(back.getInt(Tag.Rows, 0)).as(ts).isEqualTo(512);
        assertThat(back.getBytes(Tag.PixelData)).as(ts).containsExactly(1, 0, 2, 0);
        assertThat(
                back.getSequence(Tag.ReferencedSeriesSequence)
                    .get(0)
                    .getString(Tag.SeriesInstanceUID))
            .as(ts)
            .isEqualTo("1.2.3");
      }
    }
  }

  @Test
  void dcmdumpReadsWhatWeWriteInEveryTransferSyntax() throws IOException {
    Dcmtk.require("dcmdump");
    Attributes ds = sample();
    for (String ts :
        List.of(
            UID.ExplicitVRLittleEndian,
            UID.ImplicitVRLittleEndian,
            UID.ExplicitVRBigEndian,
            UID.DeflatedExplicitVRLittleEndian)) {
      Path f = tmp.resolve(ts + ".dcm");
      Files.write(f, write(ds, ts, true));
      SampleFilesTest.assertReadsAsDcmtk(f);
      assertThat(Dcmtk.runOk("dcmdump", "-q", "+U8", f.toString())).contains("[Gonçalves^João]");
    }
  }

  @Test
  void writesCommandSetsWithTheirGroupLengthInImplicitVR() throws IOException {
    Attributes cmd = new Attributes();
    cmd.setString(Tag.AffectedSOPClassUID, VR.UI, UID.Verification);
    cmd.setInt(Tag.CommandField, VR.US, 0x0030);
    cmd.setInt(Tag.MessageID, VR.US, 1);
    cmd.setInt(Tag.CommandDataSetType, VR.US, 0x0101);
    byte[] b = write(cmd, UID.ImplicitVRLittleEndian, false);
    // (0000,0000) UL: header 8 bytes + 4; group length = everything after it.
    assertThat(ByteUtil.int32(b, 0)).isZero();
    assertThat(ByteUtil.int32(b, 4)).isEqualTo(4);
    assertThat(ByteUtil.int32(b, 8)).isEqualTo(b.length - 12);
    try (DicomInputStream in =
        DicomInputStream.ofDataset(new ByteArrayInputStream(b), UID.ImplicitVRLittleEndian)) {
      Attributes back = in.readDataset();
      assertThat(back.getInt(Tag.CommandField, 0)).isEqualTo(0x0030);
      assertThat(back.getString(Tag.AffectedSOPClassUID)).isEqualTo(UID.Verification);
      assertThat(in.readFileMetaInformation()).isNull();
    }
  }

  @Test
  void keepsEncapsulatedFragmentsByteExact() throws IOException {
    Attributes ds = sample();
    ds.remove(Tag.PixelData);
    Fragments f = new Fragments(VR.OB);
    f.add(new byte[] {0, 0, 0, 0});
    f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9, 0});
    ds.setFragments(Tag.PixelData, f);
    byte[] b = write(ds, UID.JPEGBaseline8Bit, true);
    Attributes back = MalformedInputTest.read(b);
    Fragments g = back.getFragments(Tag.PixelData);
    assertThat(g.offsetTable()).containsExactly(0, 0, 0, 0);
    assertThat(g.fragments()).hasSize(1);
    assertThat(g.fragments().get(0)).isEqualTo(f.fragments().get(0));
  }

  @Test
  void dropsDataSetGroupLengthsAndMetaElements() throws IOException {
    Attributes ds = sample();
    ds.setInt(0x00080000, VR.UL, 1234);
    ds.setString(Tag.TransferSyntaxUID, VR.UI, UID.ImplicitVRLittleEndian);
    Attributes back = MalformedInputTest.read(write(ds, UID.ExplicitVRLittleEndian, true));
    assertThat(back.contains(0x00080000)).isFalse();
    assertThat(back.contains(Tag.TransferSyntaxUID)).isFalse();
  }
}
