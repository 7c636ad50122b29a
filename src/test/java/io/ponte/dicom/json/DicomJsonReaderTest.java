package io.ponte.dicom.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.Fragments;
import io.ponte.dicom.Tag;
import io.ponte.dicom.VR;
import io.ponte.testing.DicomSamples;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DicomJsonReaderTest {

  static Attributes read(String json) throws IOException {
    return DicomJsonReader.parse(json);
  }

  static String write(Attributes ds) throws IOException {
    return new String(
        DicomJsonWriterTest.json(ds, DicomJsonWriter.builder()), StandardCharsets.UTF_8);
  }

  @Test
  void decodesTheSharedPersonNameSampleWithItsComponents() throws IOException {
    Attributes ds;
    try (InputStream in = Files.newInputStream(DicomSamples.file("test_PN.json"));
        DicomJsonReader reader = DicomJsonReader.of(in)) {
      ds = reader.readDataset();
    }
    assertThat(ds.getVR(Tag.PatientName)).isEqualTo(VR.PN);
    assertThat(ds.getString(Tag.PatientName)).isEqualTo("Prostate^Volunteer");
    assertThat(ds.contains(Tag.ReferringPhysicianName)).isTrue();
    assertThat(ds.getString(Tag.ReferringPhysicianName))
        .isNull(); // {"Alphabetic": ""}: present, empty
    Attributes outer = ds.getSequence(0x04000561).get(0);
    Attributes inner = outer.getSequence(0x04000550).get(0);
    assertThat(inner.contains(Tag.PatientName)).isTrue();
    assertThat(inner.getString(Tag.PatientName)).isNull();
    assertThat(inner.getString(0x00101010))
        .isEqualTo("051Y"); // listed out of tag order in the file
    assertThat(inner.getString(Tag.PatientSex)).isEqualTo("M");
    assertThat(inner.getVR(Tag.PatientBirthDate)).isEqualTo(VR.DA);
    assertThat(inner.getString(Tag.PatientBirthDate)).isNull();
  }

  @Test
  void joinsPersonNameGroupsWithEqualsSigns() throws IOException {
    Attributes ds =
        read(
            """
                {"00100010":{"vr":"PN","Value":[
                  {"Alphabetic":"Yamada^Tarou","Ideographic":"山田^太郎","Phonetic":"やまだ^たろう"},
                  null,
                  {"Phonetic":"Phon^X"},
                  {"Ideographic":"王^小東"}]}}""");
    assertThat(ds.getStrings(Tag.PatientName))
        .containsExactly("Yamada^Tarou=山田^太郎=やまだ^たろう", null, "==Phon^X", "=王^小東");
    // Non-ASCII text and no declared character set: the reader declares UTF-8 so the text survives.
    assertThat(ds.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
  }

  @Test
  void encodesTextWithTheDeclaredCharacterSet() throws IOException {
    Attributes ds =
        read(
            """
                {"00080005":{"vr":"CS","Value":["ISO_IR 100"]},
                 "00100010":{"vr":"PN","Value":[{"Alphabetic":"Buc^Jérôme"}]},
                 "00400275":{"vr":"SQ","Value":[{"00321060":{"vr":"LO","Value":["Contrôle"]}}]}}""");
    assertThat(ds.getBytes(Tag.PatientName))
        .isEqualTo("Buc^Jérôme".getBytes(StandardCharsets.ISO_8859_1));
    Attributes item = ds.getSequence(0x00400275).get(0);
    assertThat(item.getBytes(0x00321060))
        .isEqualTo("Contrôle".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(item.getString(0x00321060)).isEqualTo("Contrôle");
  }

  @Test
  void refusesTextTheDeclaredCharacterSetCannotHold() {
    assertThatThrownBy(
            () ->
                read(
                    """
                {"00080005":{"vr":"CS","Value":["ISO_IR 100"]},
                 "00100010":{"vr":"PN","Value":[{"Alphabetic":"王^小東"}]}}"""))
        .isInstanceOf(DicomJsonException.class)
        .hasMessageContaining("(0010,0010)")
        .hasMessageContaining("ISO_IR 100");
  }

  @Test
  void readsNumbersIntoLittleEndianValues() throws IOException {
    Attributes ds =
        read(
            """
                {"00280010":{"vr":"US","Value":[65535]},
                 "00189219":{"vr":"SS","Value":[-32768, 7]},
                 "00191001":{"vr":"UL","Value":[4294967295]},
                 "00191003":{"vr":"SV","Value":[-9223372036854775808, "9223372036854775807"]},
                 "00191004":{"vr":"UV","Value":[18446744073709551615]},
                 "00186060":{"vr":"FL","Value":[0.1, "NaN"]},
                 "00189087":{"vr":"FD","Value":[1e300, "-Infinity"]},
                 "00280009":{"vr":"AT","Value":["00181063", "7fe00010"]},
                 "00180050":{"vr":"DS","Value":[5.000000, "1.5", null, -0.0]},
                 "00200013":{"vr":"IS","Value":[12]}}""");
    assertThat(ds.getBytes(0x00280010)).containsExactly(0xFF, 0xFF);
    assertThat(ds.getStrings(0x00189219)).containsExactly("-32768", "7");
    assertThat(ds.getStrings(0x00191001)).containsExactly("4294967295");
    assertThat(ds.getStrings(0x00191003))
        .containsExactly("-9223372036854775808", "9223372036854775807");
    assertThat(ds.getStrings(0x00191004)).containsExactly("18446744073709551615");
    assertThat(ds.getStrings(0x00186060)).containsExactly(Float.toString(0.1f), "NaN");
    assertThat(ds.getStrings(0x00189087)).containsExactly("1.0E300", "-Infinity");
    assertThat(ds.getStrings(0x00280009)).containsExactly("00181063", "7FE00010");
    assertThat(new String(ds.getBytes(0x00180050), StandardCharsets.US_ASCII))
        .startsWith("5.000000\\1.5\\\\-0.0");
    assertThat(ds.getInt(Tag.InstanceNumber, 0)).isEqualTo(12);
  }

  @Test
  void readsInlineBinaryAndKeepsBulkDataUrisAsReferences() throws IOException {
    Attributes ds =
        read(
            """
                {"00431028":{"vr":"OB","InlineBinary":"AQID"},
                 "7FE00010":{"vr":"OW","BulkDataURI":"https://node/bulk/7FE00010"}}""");
    assertThat(ds.getBytes(0x00431028)).containsExactly(1, 2, 3);
    BulkDataReference ref = BulkDataReference.of(ds, Tag.PixelData);
    assertThat(ref).isEqualTo(new BulkDataReference("https://node/bulk/7FE00010", VR.OW));
    assertThat(write(ds))
        .contains("\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"https://node/bulk/7FE00010\"}");
  }

  @Test
  void resolvesBulkDataReferencesSoTheDataSetCanBeWrittenAsPart10() throws IOException {
    Attributes ds =
        read(
            """
                {"00080016":{"vr":"UI","Value":["1.2.840.10008.5.1.4.1.1.7"]},
                 "00080018":{"vr":"UI","Value":["1.2.3.4"]},
                 "00880200":{"vr":"SQ","Value":[{"7FE00010":{"vr":"OB","BulkDataURI":"part/2"}}]},
                 "7FE00010":{"vr":"OW","BulkDataURI":"part/1"}}""");
    java.util.Map<String, byte[]> parts =
        java.util.Map.of("part/1", new byte[] {1, 0, 2, 0}, "part/2", new byte[] {9, 9});
    assertThat(BulkDataReference.resolveAll(ds, ref -> parts.get(ref.uri()))).isEqualTo(2);
    assertThat(ds.getBytes(Tag.PixelData)).containsExactly(1, 0, 2, 0);
    assertThat(ds.getSequence(0x00880200).get(0).getBytes(Tag.PixelData)).containsExactly(9, 9);
    java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
    try (io.ponte.dicom.DicomOutputStream out = new io.ponte.dicom.DicomOutputStream(file)) {
      out.writeDataset(ds, io.ponte.dicom.UID.ExplicitVRLittleEndian);
    }
    try (io.ponte.dicom.DicomInputStream in =
        io.ponte.dicom.DicomInputStream.ofDataset(
            new ByteArrayInputStream(file.toByteArray()),
            io.ponte.dicom.UID.ExplicitVRLittleEndian)) {
      assertThat(in.readDataset().getBytes(Tag.PixelData)).containsExactly(1, 0, 2, 0);
    }
    Attributes unresolved = read("{\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"gone\"}}");
    assertThatThrownBy(() -> BulkDataReference.resolveAll(unresolved, ref -> null))
        .hasMessageContaining("(7FE0,0010)")
        .hasMessageContaining("gone");
  }

  @Test
  void acceptsValueBeforeVrAsOtherImplementationsMayWriteIt() throws IOException {
    Attributes ds =
        read(
            """
                {"00081115":{"Value":[{"00081150":{"Value":["1.2.3"],"vr":"UI"}}],"vr":"SQ"}}""");
    assertThat(ds.getSequence(0x00081115).get(0).getString(0x00081150)).isEqualTo("1.2.3");
  }

  @Test
  void turnsEncapsulatedInlineBinaryBackIntoFragments() throws IOException {
    Attributes ds = new Attributes();
    byte[] frame1 = {1, 2, 3, 4};
    byte[] frame2 = {5, 6};
    ds.setFragments(Tag.PixelData, new Fragments(VR.OB, new byte[0], List.of(frame1, frame2)));
    Attributes back = read(write(ds));
    Fragments f = back.getFragments(Tag.PixelData);
    assertThat(f).isNotNull();
    assertThat(f.offsetTable()).isEmpty();
    assertThat(f.fragments()).containsExactly(frame1, frame2);
    assertThat(write(back)).isEqualTo(write(ds));
  }

  @Test
  void keepsNativePixelDataAsBytesEvenWhenItLooksLikeItems() throws IOException {
    Attributes ds = new Attributes();
    ds.setFragments(Tag.PixelData, new Fragments(VR.OB, new byte[0], List.of(new byte[] {9, 9})));
    String json = write(ds);
    try (DicomJsonReader r =
        DicomJsonReader.of(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
            .transferSyntax("1.2.840.10008.1.2.1")) {
      Attributes back = r.readDataset();
      assertThat(back.getFragments(Tag.PixelData)).isNull();
      assertThat(back.getBytes(Tag.PixelData)).hasSize(8 + 8 + 2 + 8);
    }
  }

  @Test
  void refusesBrokenItemsWhenTheTransferSyntaxIsEncapsulated() throws IOException {
    String json = "{\"7FE00010\":{\"vr\":\"OB\",\"InlineBinary\":\"AQIDBA==\"}}";
    try (DicomJsonReader r =
        DicomJsonReader.of(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
            .transferSyntax("1.2.840.10008.1.2.4.50")) {
      assertThatThrownBy(r::readDataset)
          .isInstanceOf(DicomJsonException.class)
          .hasMessageContaining("(7FE0,0010)")
          .hasMessageContaining("encapsulated");
    }
    assertThat(read(json).getBytes(Tag.PixelData))
        .containsExactly(1, 2, 3, 4); // no syntax given: plain bytes
  }

  @Test
  void streamsAnArrayOfDataSets() throws IOException {
    String json =
        "[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.1\"]}},{},{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.3\"]}}]";
    List<String> uids = new ArrayList<>();
    try (DicomJsonReader r =
        DicomJsonReader.of(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))) {
      r.readDatasets(ds -> uids.add(ds.getString(Tag.StudyInstanceUID)));
    }
    assertThat(uids).containsExactly("1.1", null, "1.3");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
            truncated JSON                | {"00100010":{"vr":"PN"                                  | malformed JSON
            not an object                 | ["x"]                                                   | expected a JSON object
            trailing content              | {} {}                                                   | after the data set
            key not a tag                 | {"PatientName":{"vr":"PN"}}                             | is not a tag
            key too short                 | {"0010010":{"vr":"PN"}}                                 | is not a tag
            attribute not an object       | {"00100010":"Doe^John"}                                 | (0010,0010): an attribute must be a JSON object
            vr missing                    | {"00100010":{"Value":[{"Alphabetic":"A"}]}}             | (0010,0010): "vr" is missing
            unknown vr                    | {"00100010":{"vr":"XX"}}                                | (0010,0010): unknown VR "XX"
            vr not a string               | {"00100010":{"vr":7}}                                   | (0010,0010): "vr" must be a string
            unknown member                | {"00100010":{"vr":"PN","value":[]}}                     | (0010,0010): unknown member "value"
            Value not an array            | {"00100020":{"vr":"LO","Value":"X"}}                    | (0010,0020): "Value" must be an array
            number for a string VR        | {"00100020":{"vr":"LO","Value":[123]}}                  | (0010,0020): a LO value must be a string
            string for US                 | {"00280010":{"vr":"US","Value":["512"]}}                | (0028,0010): a US value must be an integer
            US out of range               | {"00280010":{"vr":"US","Value":[65536]}}                | (0028,0010): 65536 is out of range for VR US
            SS out of range               | {"00189219":{"vr":"SS","Value":[-32769]}}               | (0018,9219): -32769 is out of range
            fraction for UL               | {"00191001":{"vr":"UL","Value":[1.5]}}                  | (0019,1001): a UL value must be an integer
            null in binary numbers        | {"00280010":{"vr":"US","Value":[null]}}                 | (0028,0010): a US value must be an integer
            boolean for FD                | {"00189087":{"vr":"FD","Value":[true]}}                 | (0018,9087): a FD value must be a number
            bad AT                        | {"00280009":{"vr":"AT","Value":["0018,1063"]}}          | (0028,0009): an AT value must be a string of 8 hexadecimal digits
            PN as a string                | {"00100010":{"vr":"PN","Value":["Doe^John"]}}           | (0010,0010): a PN value must be an object
            unknown PN group              | {"00100010":{"vr":"PN","Value":[{"Alfabetic":"Doe"}]}}  | (0010,0010): unknown PN component group "Alfabetic"
            PN group not a string         | {"00100010":{"vr":"PN","Value":[{"Alphabetic":1}]}}     | (0010,0010): PN component group "Alphabetic" must be a string
            item not an object            | {"00081115":{"vr":"SQ","Value":["1.2.3"]}}              | (0008,1115)[0]: a sequence item must be a JSON object
            nested error names the path   | {"0040A730":{"vr":"SQ","Value":[{},{"0040A043":{"vr":"SQ","Value":[{"00080100":{"vr":"SH","Value":[1]}}]}}]}} | (0040,A730)[1](0040,A043)[0](0008,0100): a SH value must be a string
            InlineBinary for a string VR  | {"00100020":{"vr":"LO","InlineBinary":"AQI="}}          | (0010,0020): "InlineBinary" is not allowed for VR LO
            Value for OB                  | {"00431028":{"vr":"OB","Value":["AQI="]}}               | (0043,1028): VR OB has no "Value"
            bad base64                    | {"00431028":{"vr":"OB","InlineBinary":"not base64!"}}   | (0043,1028): "InlineBinary" is not valid base64
            odd OW                        | {"7FE00010":{"vr":"OW","InlineBinary":"AQID"}}          | (7FE0,0010): a OW value must be a multiple of 2 bytes
            two kinds of value            | {"00431028":{"vr":"OB","InlineBinary":"AQI=","BulkDataURI":"x"}} | (0043,1028): "BulkDataURI" cannot follow "InlineBinary"
            BulkDataURI for SQ            | {"00081115":{"vr":"SQ","BulkDataURI":"x"}}              | (0008,1115): "BulkDataURI" is not allowed for VR SQ
            duplicate attribute           | {"00100020":{"vr":"LO"},"00100020":{"vr":"LO"}}         | (0010,0020): attribute appears twice
            backslash inside a value      | {"00100020":{"vr":"LO","Value":["A\\\\B"]}}             | (0010,0020): a LO value cannot contain a backslash
            non-ASCII in a CS             | {"00100040":{"vr":"CS","Value":["É"]}}                  | (0010,0040): VR CS allows only ASCII characters
            two values for LT             | {"00104000":{"vr":"LT","Value":["a","b"]}}              | (0010,4000): VR LT holds a single value
            """)
  void refusesBadJsonNamingTheElement(String why, String json, String expected) {
    assertThatThrownBy(() -> read(json))
        .as(why)
        .isInstanceOf(DicomJsonException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void errorsCarryTheLineAndColumn() {
    assertThatThrownBy(() -> read("{\n  \"00280010\": {\"vr\": \"US\", \"Value\": [-1]}\n}"))
        .isInstanceOf(DicomJsonException.class)
        .hasMessageContaining("(0028,0010)")
        .hasMessageContaining("line 2");
  }

  @Test
  void refusesAbsurdlyDeepSequences() {
    StringBuilder sb = new StringBuilder();
    int depth = DicomJsonReader.MAX_SEQUENCE_DEPTH + 5;
    for (int i = 0; i < depth; i++) {
      sb.append("{\"0040A730\":{\"vr\":\"SQ\",\"Value\":[");
    }
    sb.append("{}");
    for (int i = 0; i < depth; i++) {
      sb.append("]}}");
    }
    assertThatThrownBy(() -> read(sb.toString()))
        .isInstanceOf(DicomJsonException.class)
        .hasMessageContaining("nested deeper than");
  }

  /**
   * Seeded mutations of valid JSON: the reader either reads it or says why, never anything else.
   */
  @Test
  void mutatedJsonIsReadOrRefusedCleanly() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    ds.setString(Tag.PatientName, VR.PN, "Yamada^Tarou=山田^太郎");
    ds.setString(0x00180050, VR.DS, "1.5", "2");
    ds.setInt(0x00280010, VR.US, 512);
    ds.setString(0x00189087, VR.FD, "0.25");
    ds.setInt(0x00280009, VR.AT, 0x00181063);
    ds.newSequence(0x0040A730).addItem().setString(0x0040A010, VR.CS, "HAS");
    ds.setBytes(0x00431028, VR.OB, new byte[] {1, 2, 3, 4});
    ds.setFragments(Tag.PixelData, new Fragments(VR.OB, new byte[0], List.of(new byte[] {7, 7})));
    String valid = write(ds);
    String alphabet = "{}[]\":,0123456789ABCDEFabcdef -+.eE\\nulltruevrValueInlineBinary=^";
    Random random = new Random(20261128L);
    int read = 0;
    int refused = 0;
    for (int n = 0; n < 3000; n++) {
      StringBuilder s = new StringBuilder(valid);
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(s.length());
        switch (random.nextInt(3)) {
          case 0 -> s.deleteCharAt(at);
          case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      try {
        Attributes back = read(s.toString());
        write(back); // whatever was accepted must be writable again
        read++;
      } catch (DicomJsonException expected) {
        assertThat(expected.getMessage()).isNotBlank();
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(0);
    assertThat(read).isGreaterThan(0);
  }

  @Test
  void roundTripsAWrittenDataSet() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    ds.setString(Tag.PatientName, VR.PN, "Wang^XiaoDong=王^小東", "");
    ds.setString(0x00080008, VR.CS, "ORIGINAL", "", "AXIAL");
    ds.setString(0x00180050, VR.DS, "5.000000", "-0.5");
    ds.setString(0x00186060, VR.FL, "0.1", "NaN");
    ds.setString(0x00104000, VR.LT, "  leading\\kept");
    ds.setBytes(Tag.AccessionNumber, VR.SH, new byte[0]);
    ds.newSequence(0x00081115).addItem();
    ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 2, 3, 4});
    String once = write(ds);
    String twice = write(read(once));
    assertThat(twice).isEqualTo(once);
    JsonNode tree = DicomJsonDiff.strict(once.getBytes(StandardCharsets.UTF_8));
    assertThat(tree.at("/00104000/Value/0").asText()).isEqualTo("  leading\\kept");
  }
}
