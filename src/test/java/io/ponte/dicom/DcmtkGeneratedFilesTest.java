package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.Dcmtk;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that dcmtk writes at test time (dump2dcm from a text dump, then dcmconv into every transfer
 * syntax, length encoding and with/without meta; img2dcm for encapsulated JPEG), read by us and
 * compared with dcmdump.
 */
class DcmtkGeneratedFilesTest {

  @TempDir Path tmp;

  /**
   * A data set exercising sequences (nested, empty), private tags, every common VR, text in a
   * character set.
   */
  static String dump(String charset, String patientName, String institution, String comments) {
    StringBuilder pixels = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      pixels.append(i == 0 ? "" : "\\").append(String.format("%04x", i * 4099 & 0xFFFF));
    }
    return String.join(
        "\n",
        "(0008,0005) CS [" + charset + "]",
        "(0008,0008) CS [ORIGINAL\\PRIMARY\\AXIAL]",
        "(0008,0016) UI [1.2.840.10008.5.1.4.1.1.7]",
        "(0008,0018) UI [1.2.826.0.1.3680043.2.1125.1.4242]",
        "(0008,0020) DA [20240131]",
        "(0008,0030) TM [101112.123]",
        "(0008,0050) SH [ACC-0042]",
        "(0008,0060) CS [OT]",
        "(0008,0080) LO [" + institution + "]",
        "(0008,0090) PN [" + patientName + "]",
        "(0008,1140) SQ (Sequence with undefined length)",
        "(fffe,e000) na (Item with undefined length)",
        "(0008,1150) UI [1.2.840.10008.5.1.4.1.1.2]",
        "(0008,1155) UI [1.2.3.4.5.6.7]",
        "(0008,9215) SQ (Sequence with undefined length)",
        "(fffe,e000) na (Item with undefined length)",
        "(0008,0100) SH [121327]",
        "(0008,0102) SH [DCM]",
        "(0008,0104) LO [" + institution + "]",
        "(0040,a043) SQ (Sequence with undefined length)",
        "(fffe,e000) na (Item with undefined length)",
        "(0008,0100) SH [T-D0050]",
        "(fffe,e00d) na (ItemDelimitationItem)",
        "(fffe,e0dd) na (SequenceDelimitationItem)",
        "(fffe,e00d) na (ItemDelimitationItem)",
        "(fffe,e0dd) na (SequenceDelimitationItem)",
        "(fffe,e00d) na (ItemDelimitationItem)",
        "(fffe,e000) na (Item with undefined length)",
        "(fffe,e00d) na (ItemDelimitationItem)",
        "(fffe,e0dd) na (SequenceDelimitationItem)",
        "(0008,1199) SQ (Sequence with undefined length)",
        "(fffe,e0dd) na (SequenceDelimitationItem)",
        "(0009,0010) LO [PONTE TEST]",
        "(0009,1001) LO [private value]",
        "(0009,1002) SQ (Sequence with undefined length)",
        "(fffe,e000) na (Item with undefined length)",
        "(0009,0010) LO [PONTE TEST]",
        "(0009,1001) LO [nested private]",
        "(0010,0010) PN [" + patientName + "]",
        "(fffe,e00d) na (ItemDelimitationItem)",
        "(fffe,e0dd) na (SequenceDelimitationItem)",
        "(0009,1003) OB 01\\02\\03\\04\\05\\06",
        "(0010,0010) PN [" + patientName + "]",
        "(0010,0020) LO [REG-000001]",
        "(0010,0021) LO [urn:oid:2.16.620.1]",
        "(0010,0030) DA [19800229]",
        "(0010,0040) CS [F]",
        "(0010,1001) PN [" + patientName + "\\Doe^Jane]",
        "(0010,1010) AS [044Y]",
        "(0010,4000) LT [" + comments + "]",
        "(0018,0050) DS [0.625]",
        "(0018,1310) US 0\\256\\256\\0",
        "(0018,6016) UL 4000000000",
        "(0018,6020) SL -70000",
        "(0018,9328) FD 12.5\\-0.001",
        "(0020,000d) UI [1.2.826.0.1.3680043.2.1125.1.1]",
        "(0020,000e) UI [1.2.826.0.1.3680043.2.1125.1.2]",
        "(0020,0010) SH [STUDY7]",
        "(0020,0011) IS [3]",
        "(0020,0013) IS [17]",
        "(0020,0032) DS [-125.5\\-130\\42.25]",
        "(0020,4000) LT [" + comments + "]",
        "(0028,0002) US 1",
        "(0028,0004) CS [MONOCHROME2]",
        "(0028,0009) AT (0018,1063)\\(0020,0013)",
        "(0028,0010) US 4",
        "(0028,0011) US 4",
        "(0028,0100) US 16",
        "(0028,0101) US 12",
        "(0028,0102) US 11",
        "(0028,0103) US 1",
        "(0028,0106) SS -12",
        "(0028,1052) DS [-1024]",
        "(0028,1053) DS [1]",
        "(0040,9212) FL 1.5\\-2.25",
        "(7fe0,0010) OW " + pixels,
        "");
  }

  record Variant(String name, String charset, Charset fileEncoding, String patient) {}

  static final List<Variant> VARIANTS =
      List.of(
          new Variant("latin1", "ISO_IR 100", StandardCharsets.ISO_8859_1, "Gonçalves^João"),
          new Variant("latin1-fr", "ISO_IR 100", StandardCharsets.ISO_8859_1, "Dubois^Hélène"),
          new Variant("utf8", "ISO_IR 192", StandardCharsets.UTF_8, "Gonçalves^João=山田^太郎"));

  static final List<List<String>> CONVERSIONS =
      List.of(
          List.of("+te"),
          List.of("+te", "-e"),
          List.of("+te", "+g"),
          List.of("+ti"),
          List.of("+ti", "-e"),
          List.of("+ti", "-F"),
          List.of("+tb"),
          List.of("+tb", "-e"),
          List.of("+tb", "-F"),
          List.of("+td"),
          List.of("+td", "-e"),
          List.of("+te", "+p", "64", "0"));

  @TestFactory
  Stream<DynamicTest> readsWhatDcmtkWritesInEveryTransferSyntax() throws IOException {
    Dcmtk.require("dcmdump");
    List<DynamicTest> tests = new ArrayList<>();
    for (Variant v : VARIANTS) {
      Path dumpFile = tmp.resolve(v.name() + ".dump");
      String institution =
          v.fileEncoding() == StandardCharsets.UTF_8
              ? "Hôpital Saint-Éloi Ωμέγα"
              : "Hôpital Saint-Éloi";
      String comments = "Doente: " + v.patient() + " \\ com acentuação; ligne 2 été";
      Files.write(
          dumpFile,
          dump(v.charset(), v.patient(), institution, comments).getBytes(v.fileEncoding()));
      Path base = tmp.resolve(v.name() + ".dcm");
      Dcmtk.runOk("dump2dcm", "-q", dumpFile.toString(), base.toString());
      for (List<String> conv : CONVERSIONS) {
        String name = v.name() + " " + String.join(" ", conv);
        tests.add(
            DynamicTest.dynamicTest(
                name,
                () -> {
                  Path out = tmp.resolve(name.replace(' ', '_') + ".dcm");
                  List<String> cmd = new ArrayList<>(List.of("dcmconv", "-q"));
                  cmd.addAll(conv);
                  cmd.add(base.toString());
                  cmd.add(out.toString());
                  Dcmtk.runOk(cmd.toArray(String[]::new));
                  SampleFilesTest.assertReadsAsDcmtk(out);
                  Attributes ds = SampleFilesTest.read(out)[1];
                  assertThat(ds.getString(Tag.PatientName)).isEqualTo(v.patient());
                  assertThat(ds.getStrings(Tag.OtherPatientNames))
                      .containsExactly(v.patient(), "Doe^Jane");
                  assertThat(ds.getString(Tag.InstitutionName)).isEqualTo(institution);
                  assertThat(ds.getString(Tag.PatientComments)).isEqualTo(comments);
                  assertThat(ds.getSequence(Tag.ReferencedImageSequence)).hasSize(2);
                  Attributes code =
                      ds.getSequence(Tag.ReferencedImageSequence)
                          .get(0)
                          .getSequence(Tag.DerivationCodeSequence)
                          .get(0);
                  assertThat(code.getString(Tag.CodeMeaning)).isEqualTo(institution);
                  assertThat(
                          code.getSequence(Tag.ConceptNameCodeSequence)
                              .get(0)
                              .getString(Tag.CodeValue))
                      .isEqualTo("T-D0050");
                  // Also in implicit VR with defined lengths, where dcmtk keeps the private
                  // sequence as bytes.
                  assertThat(ds.getSequence(0x00091002).get(0).getString(Tag.PatientName))
                      .isEqualTo(v.patient());
                  assertThat(ds.getInt(Tag.ReferencePixelX0, 0)).isEqualTo(-70000);
                  assertThat(ds.getInts(0x00181310)).containsExactly(0, 256, 256, 0);
                  assertThat(ds.getInt(Tag.SmallestImagePixelValue, 0)).isEqualTo(-12);
                  assertThat(ds.getString(Tag.RegionFlags)).isEqualTo("4000000000");
                  assertThat(ds.getBytes(Tag.PixelData)).hasSize(32);
                  assertThat(ByteUtil.uint16(ds.getBytes(Tag.PixelData), 2)).isEqualTo(4099);
                }));
      }
    }
    return tests.stream();
  }

  @Test
  void readsEncapsulatedJpegFromImg2dcm() throws IOException {
    Dcmtk.require("dcmdump");
    BufferedImage img = new BufferedImage(33, 17, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 17; y++) {
      for (int x = 0; x < 33; x++) {
        img.getRaster().setSample(x, y, 0, (x * 7 + y * 13) & 0xFF);
      }
    }
    Path jpg = tmp.resolve("in.jpg");
    ImageIO.write(img, "jpeg", jpg.toFile());
    Path out = tmp.resolve("jpeg.dcm");
    Dcmtk.runOk("img2dcm", "-q", "-i", "JPEG", jpg.toString(), out.toString());
    SampleFilesTest.assertReadsAsDcmtk(out);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(out));
        DicomInputStream din = new DicomInputStream(in)) {
      Attributes ds = din.readDataset();
      assertThat(din.transferSyntax()).isEqualTo(UID.JPEGBaseline8Bit);
      Fragments f = ds.getFragments(Tag.PixelData);
      assertThat(f).isNotNull();
      ByteArrayOutputStream joined = new ByteArrayOutputStream();
      for (byte[] frag : f.fragments()) {
        joined.write(frag);
      }
      byte[] original = withoutJfifSegment(Files.readAllBytes(jpg));
      byte[] got = joined.toByteArray();
      // The fragments carry the JPEG stream byte for byte (plus at most one pad byte).
      assertThat(got.length - original.length).isBetween(0, 1);
      assertThat(java.util.Arrays.copyOf(got, original.length)).isEqualTo(original);
    }
  }

  /** img2dcm drops the JFIF APP0 segment (PS3.5 8.2.1 allows it); the rest must be untouched. */
  private static byte[] withoutJfifSegment(byte[] jpeg) {
    if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
      int len = 2 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
      byte[] out = new byte[jpeg.length - len];
      System.arraycopy(jpeg, 0, out, 0, 2);
      System.arraycopy(jpeg, 2 + len, out, 2, jpeg.length - 2 - len);
      return out;
    }
    return jpeg;
  }
}
