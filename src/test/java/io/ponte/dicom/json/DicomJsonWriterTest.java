package io.ponte.dicom.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.ByteUtil;
import io.ponte.dicom.Fragments;
import io.ponte.dicom.Sequence;
import io.ponte.dicom.Tag;
import io.ponte.dicom.VR;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class DicomJsonWriterTest {

  static byte[] json(Attributes ds, DicomJsonWriter.Builder options) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DicomJsonWriter w = options.build(out)) {
      w.write(ds);
    }
    return out.toByteArray();
  }

  static JsonNode tree(Attributes ds) throws IOException {
    return DicomJsonDiff.strict(json(ds, DicomJsonWriter.builder()));
  }

  @Test
  void writesUppercaseHexKeysInUnsignedTagOrderAndSkipsGroupLengths() throws IOException {
    Attributes ds = new Attributes();
    ds.setBytes(0xFFFCFFFC, VR.OB, new byte[] {0, 0});
    ds.setString(0x0009100A, VR.LO, "private");
    ds.setString(0x00080018, VR.UI, "1.2.3");
    ds.setInt(0x00080000, VR.UL, 42);
    ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 0});
    JsonNode json = tree(ds);
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("00080018", "0009100A", "7FE00010", "FFFCFFFC");
  }

  @Test
  void writesBinaryNumbersAsJsonNumbersAndTagsAsHexStrings() throws IOException {
    Attributes ds = new Attributes();
    ds.setInt(0x00280010, VR.US, 0, 65535);
    ds.setInt(0x00189219, VR.SS, -32768, 32767);
    ds.setInt(0x00191001, VR.UL, -1); // 4294967295 unsigned
    ds.setInt(0x00191002, VR.SL, Integer.MIN_VALUE);
    byte[] sv = new byte[16];
    ByteUtil.putInt64(sv, 0, Long.MIN_VALUE);
    ByteUtil.putInt64(sv, 8, Long.MAX_VALUE);
    ds.setBytes(0x00191003, VR.SV, sv);
    byte[] uv = new byte[8];
    ByteUtil.putInt64(uv, 0, -1L); // 2^64-1
    ds.setBytes(0x00191004, VR.UV, uv);
    ds.setString(0x00186060, VR.FL, "0.1", "-3.5");
    ds.setString(0x00189087, VR.FD, "0.1", "1e300");
    ds.setInt(0x00280009, VR.AT, 0x00181063, 0x7FE00010);
    JsonNode json = tree(ds);
    assertThat(json.at("/00280010/Value").toString()).isEqualTo("[0,65535]");
    assertThat(json.at("/00189219/Value").toString()).isEqualTo("[-32768,32767]");
    assertThat(json.at("/00191001/Value").toString()).isEqualTo("[4294967295]");
    assertThat(json.at("/00191002/Value").toString()).isEqualTo("[-2147483648]");
    assertThat(json.at("/00191003/Value").toString())
        .isEqualTo("[-9223372036854775808,9223372036854775807]");
    assertThat(json.at("/00191004/Value").toString()).isEqualTo("[18446744073709551615]");
    assertThat(json.at("/00186060/Value/0").floatValue()).isEqualTo(0.1f);
    assertThat(json.at("/00186060/Value/0").isNumber()).isTrue();
    assertThat(json.at("/00189087/Value/1").doubleValue()).isEqualTo(1e300);
    assertThat(json.at("/00280009/Value").toString()).isEqualTo("[\"00181063\",\"7FE00010\"]");
    assertThat(json.at("/00280009/vr").asText()).isEqualTo("AT");
  }

  @Test
  void writesFloatsAsShortExactTextWithoutExponentForOrdinaryMagnitudes() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(0x00189087, VR.FD, "862399761.11107898", "1e300", "1e-9", "0.000123");
    ds.setString(0x00186060, VR.FL, "-77.2040634", "12345678", "0", "2.5");
    String text = new String(json(ds, DicomJsonWriter.builder()), StandardCharsets.UTF_8);
    assertThat(text).contains("\"Value\":[862399761.111079,1.0E300,1.0E-9,0.000123]");
    assertThat(text).contains("\"Value\":[-77.20406,12345678,0,2.5]");
    JsonNode json = DicomJsonDiff.strict(text.getBytes(StandardCharsets.UTF_8));
    assertThat(json.at("/00189087/Value/0").doubleValue()).isEqualTo(862399761.11107898);
    assertThat(json.at("/00186060/Value/0").floatValue()).isEqualTo(-77.2040634f);
  }

  @Test
  void writesNonFiniteFloatsAsStringsBecauseJsonNumbersCannotHoldThem() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(0x00189087, VR.FD, "NaN", "Infinity", "-Infinity", "-0.0");
    String text = new String(json(ds, DicomJsonWriter.builder()), StandardCharsets.UTF_8);
    assertThat(text).contains("\"Value\":[\"NaN\",\"Infinity\",\"-Infinity\",-0]");
  }

  @Test
  void keepsDecimalStringTextWhenValidJsonAndNormalisesOtherwise() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(0x00180050, VR.DS, "5.000000", " +7", ".5", "5.", "1e3", "-0", "not-a-number");
    ds.setString(0x00200013, VR.IS, " +12", "007");
    String text = new String(json(ds, DicomJsonWriter.builder()), StandardCharsets.UTF_8);
    assertThat(text).contains("\"Value\":[5.000000,7,0.5,5,1e3,-0,\"not-a-number\"]");
    assertThat(text).contains("\"00200013\":{\"vr\":\"IS\",\"Value\":[12,7]}");
  }

  @Test
  void writesPersonNamesAsComponentGroups() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    ds.setString(Tag.PatientName, VR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう");
    ds.setString(0x00081060, VR.PN, "Doe^John^^", "", "==Phon^X", "Other^Name=");
    ds.setString(Tag.ReferringPhysicianName, VR.PN, "^^^^");
    JsonNode json = tree(ds);
    JsonNode name = json.at("/00100010/Value/0");
    assertThat(name.get("Alphabetic").asText()).isEqualTo("Yamada^Tarou");
    assertThat(name.get("Ideographic").asText()).isEqualTo("山田^太郎");
    assertThat(name.get("Phonetic").asText()).isEqualTo("やまだ^たろう");
    assertThat(json.at("/00081060/Value").toString())
        .isEqualTo(
            "[{\"Alphabetic\":\"Doe^John\"},null,{\"Phonetic\":\"Phon^X\"},{\"Alphabetic\":\"Other^Name\"}]");
    assertThat(json.get("00080090").toString()).isEqualTo("{\"vr\":\"PN\"}");
  }

  @Test
  void writesEmptyValuesAsNoValueOrNull() throws IOException {
    Attributes ds = new Attributes();
    ds.setBytes(Tag.AccessionNumber, VR.SH, new byte[0]);
    ds.setString(0x00080008, VR.CS, "ORIGINAL", "", "AXIAL");
    ds.setString(0x00200020, VR.CS, "", "");
    ds.setString(Tag.StudyDescription, VR.LO, "   ");
    JsonNode json = tree(ds);
    assertThat(json.get("00080050").toString()).isEqualTo("{\"vr\":\"SH\"}");
    assertThat(json.at("/00080008/Value").toString()).isEqualTo("[\"ORIGINAL\",null,\"AXIAL\"]");
    assertThat(json.at("/00200020/Value").toString()).isEqualTo("[null,null]");
    assertThat(json.get("00081030").toString()).isEqualTo("{\"vr\":\"LO\"}");
  }

  @Test
  void writesSequencesAsArraysOfItemObjects() throws IOException {
    Attributes ds = new Attributes();
    Sequence seq = ds.newSequence(0x0040A730);
    Attributes first = seq.addItem();
    first.setString(0x0040A010, VR.CS, "HAS");
    first.newSequence(0x0040A043).addItem().setString(0x00080100, VR.SH, "121071");
    seq.addItem(); // empty item
    ds.newSequence(0x00081115); // empty sequence
    JsonNode json = tree(ds);
    assertThat(json.at("/0040A730/vr").asText()).isEqualTo("SQ");
    assertThat(json.at("/0040A730/Value/0/0040A010/Value/0").asText()).isEqualTo("HAS");
    assertThat(json.at("/0040A730/Value/0/0040A043/Value/0/00080100/Value/0").asText())
        .isEqualTo("121071");
    assertThat(json.at("/0040A730/Value/1").toString()).isEqualTo("{}");
    assertThat(json.get("00081115").toString()).isEqualTo("{\"vr\":\"SQ\"}");
  }

  @Test
  void writesTextDecodedWithTheSpecificCharacterSetAndDeclaresUtf8() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
    ds.setBytes(
        Tag.PatientName, VR.PN, "Buc^J\u00e9r\u00f4me".getBytes(StandardCharsets.ISO_8859_1));
    Attributes item = ds.newSequence(0x00400275).addItem();
    item.setBytes(0x00321060, VR.LO, "Contr\u00f4le".getBytes(StandardCharsets.ISO_8859_1));
    JsonNode json = tree(ds);
    assertThat(json.at("/00080005/Value").toString()).isEqualTo("[\"ISO_IR 192\"]");
    assertThat(json.at("/00100010/Value/0/Alphabetic").asText()).isEqualTo("Buc^Jérôme");
    assertThat(json.at("/00400275/Value/0/00321060/Value/0").asText()).isEqualTo("Contrôle");
  }

  @Test
  void inlinesBulkDataAsBase64ByDefault() throws IOException {
    Attributes ds = new Attributes();
    byte[] pixels = {1, 2, 3, 4, 5, 6};
    ds.setBytes(Tag.PixelData, VR.OW, pixels);
    ds.setBytes(0x00191007, VR.UN, new byte[] {9, 8});
    JsonNode json = tree(ds);
    assertThat(Base64.getDecoder().decode(json.at("/7FE00010/InlineBinary").asText()))
        .isEqualTo(pixels);
    assertThat(json.at("/00191007").toString())
        .isEqualTo("{\"vr\":\"UN\",\"InlineBinary\":\"CQg=\"}");
  }

  @Test
  void namesBulkDataByUriWithTheElementPathAndInlinesWhenTheFunctionDeclines() throws IOException {
    Attributes ds = new Attributes();
    ds.setBytes(Tag.PixelData, VR.OB, new byte[4000]);
    ds.setBytes(0x00191008, VR.OB, new byte[] {1, 2});
    Attributes icon = ds.newSequence(0x00880200).addItem();
    icon.setBytes(Tag.PixelData, VR.OB, new byte[100]);
    List<BulkDataElement> seen = new ArrayList<>();
    byte[] out =
        json(
            ds,
            DicomJsonWriter.builder()
                .bulkDataUris(
                    e -> {
                      seen.add(e);
                      return e.length() < 10 ? null : "https://node/studies/1/bulk/" + e.path();
                    }));
    JsonNode json = DicomJsonDiff.strict(out);
    assertThat(json.at("/7FE00010/BulkDataURI").asText())
        .isEqualTo("https://node/studies/1/bulk/7FE00010");
    assertThat(json.at("/7FE00010/InlineBinary").isMissingNode()).isTrue();
    assertThat(json.at("/00880200/Value/0/7FE00010/BulkDataURI").asText())
        .isEqualTo("https://node/studies/1/bulk/00880200/0/7FE00010");
    assertThat(json.at("/00191008/InlineBinary").asText()).isEqualTo("AQI=");
    assertThat(seen)
        .extracting(BulkDataElement::path)
        .containsExactly("00191008", "00880200/0/7FE00010", "7FE00010");
    assertThat(seen.get(2).length()).isEqualTo(4000);
    assertThat(seen.get(2).topLevel()).isTrue();
    assertThat(seen.get(1).topLevel()).isFalse();
  }

  @Test
  void omitsBulkDataElementsForMetadataOnly() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
    ds.setBytes(Tag.PixelData, VR.OW, new byte[10]);
    ds.setBytes(0x00431028, VR.OB, new byte[4]);
    Fragments f = new Fragments(VR.OB, new byte[0], List.of(new byte[] {1, 2}));
    ds.newSequence(0x00880200).addItem().setFragments(Tag.PixelData, f);
    JsonNode json =
        DicomJsonDiff.strict(json(ds, DicomJsonWriter.builder().bulkData(BulkDataMode.OMIT)));
    assertThat(json.toString())
        .isEqualTo(
            "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},\"00880200\":{\"vr\":\"SQ\",\"Value\":[{}]}}");
  }

  @Test
  void inlinesEncapsulatedPixelDataAsTheWholeItemSequence() throws IOException {
    Attributes ds = new Attributes();
    byte[] frame = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xD9};
    ds.setFragments(Tag.PixelData, new Fragments(VR.OB, new byte[] {0, 0, 0, 0}, List.of(frame)));
    JsonNode json = tree(ds);
    byte[] field = Base64.getDecoder().decode(json.at("/7FE00010/InlineBinary").asText());
    byte[] expected = {
      (byte) 0xFE,
      (byte) 0xFF,
      0x00,
      (byte) 0xE0,
      4,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      (byte) 0xFE,
      (byte) 0xFF,
      0x00,
      (byte) 0xE0,
      6,
      0,
      0,
      0,
      (byte) 0xFF,
      (byte) 0xD8,
      1,
      2,
      3,
      (byte) 0xD9,
      (byte) 0xFE,
      (byte) 0xFF,
      (byte) 0xDD,
      (byte) 0xE0,
      0,
      0,
      0,
      0
    };
    assertThat(field).isEqualTo(expected);
    assertThat(json.at("/7FE00010/vr").asText()).isEqualTo("OB");
  }

  @Test
  void writesSeveralDataSetsAsOneArray() throws IOException {
    StringWriter out = new StringWriter();
    try (DicomJsonWriter w = DicomJsonWriter.builder().build(out)) {
      w.startArray();
      for (int i = 1; i <= 3; i++) {
        Attributes ds = new Attributes();
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2." + i);
        w.write(ds);
      }
      w.endArray();
    }
    JsonNode json = DicomJsonDiff.strict(out.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(json.isArray()).isTrue();
    assertThat(
            StreamSupport.stream(json.spliterator(), false)
                .map(n -> n.at("/0020000D/Value/0").asText()))
        .containsExactly("1.2.1", "1.2.2", "1.2.3");
  }

  @Test
  void prettyOutputMeansTheSame() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.PatientName, VR.PN, "Doe^John");
    ds.newSequence(0x00101002).addItem().setString(Tag.PatientID, VR.LO, "X");
    byte[] pretty = json(ds, DicomJsonWriter.builder().pretty(true));
    assertThat(new String(pretty, StandardCharsets.UTF_8)).contains("\n  \"00100010\"");
    assertThat(DicomJsonDiff.strict(pretty)).isEqualTo(tree(ds));
  }

  @Test
  void writesItemsAsSqAndUnreadableSequenceBytesAsUnWhateverTheElementSays() throws IOException {
    Attributes ds = new Attributes();
    Attributes source = new Attributes();
    source.newSequence(0x00091001).addItem().setString(0x00100020, VR.LO, "X");
    ds.setValue(
        0x00091001,
        VR.UN,
        source.getSequence(0x00091001)); // a UN of undefined length, read as items
    ds.setValue(0x00091002, VR.SQ, new byte[] {1, 2, 3, 4});
    JsonNode json = tree(ds);
    assertThat(json.at("/00091001/vr").asText()).isEqualTo("SQ");
    assertThat(json.at("/00091001/Value/0/00100020/Value/0").asText()).isEqualTo("X");
    assertThat(json.at("/00091002").toString())
        .isEqualTo("{\"vr\":\"UN\",\"InlineBinary\":\"AQIDBA==\"}");
  }

  @Test
  void refusesUriModeWithoutAFunction() {
    assertThatThrownBy(() -> DicomJsonWriter.builder().bulkData(BulkDataMode.URI))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
