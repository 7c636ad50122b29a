package io.ponte.dicom.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The comparison used against dcm2json must be able to fail: each of these differences is reported.
 */
class DicomJsonDiffTest {

  static final String BASE =
      """
            {"00100010":{"vr":"PN","Value":[{"Alphabetic":"Doe^John","Ideographic":"D^J"}]},
             "00180050":{"vr":"DS","Value":[5.000000]},
             "00186060":{"vr":"FL","Value":[0.1]},
             "0040A730":{"vr":"SQ","Value":[{"0040A010":{"vr":"CS","Value":["HAS"]}}]},
             "7FE00010":{"vr":"OW","InlineBinary":"AQI="}}""";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
            PN group differs         | "D^J"       | "D^K"
            PN group missing         | ,"Ideographic":"D^J" |
            DS value differs         | 5.000000    | 5.000001
            FL value differs         | [0.1]       | [0.2]
            nested value differs     | "HAS"       | "CONTAINS"
            binary differs           | "AQI="      | "AQM="
            VR differs               | "vr":"OW"   | "vr":"OB"
            element missing          | "00180050"  | "00180051"
            """)
  void reportsEachDifference(String why, String from, String to) {
    String changed = BASE.replace(from, to == null ? "" : to);
    assertThat(changed).as("test setup").isNotEqualTo(BASE);
    DicomJsonDiff diff =
        new DicomJsonDiff((p, t, a, b) -> null).compare(parse(BASE), parse(changed));
    assertThat(diff.differences).as(why).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
            DS spelled differently   | 5.000000    | 5
            FL spelled differently   | [0.1]       | [0.100000001]
            """)
  void acceptsTheSameMeaning(String why, String from, String to) {
    DicomJsonDiff diff =
        new DicomJsonDiff((p, t, a, b) -> null).compare(parse(BASE), parse(BASE.replace(from, to)));
    assertThat(diff.differences).as(why).isEmpty();
    assertThat(diff.compared).as("5 top-level elements and 1 nested").isEqualTo(6);
  }

  @org.junit.jupiter.api.Test
  void reportsKeysOutOfOrder() {
    String unordered = "{\"00200010\":{\"vr\":\"SH\"},\"00100010\":{\"vr\":\"PN\"}}";
    DicomJsonDiff diff =
        new DicomJsonDiff((p, t, a, b) -> null).compare(parse(unordered), parse(unordered));
    assertThat(diff.differences).anyMatch(d -> d.contains("not in ascending order"));
  }

  @org.junit.jupiter.api.Test
  void matchesRawItemsOnlyWhenEveryElementIsTheSame() {
    byte[] value = "Doe^John".getBytes(StandardCharsets.US_ASCII);
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(8 + 8 + value.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(8 + value.length);
    b.putShort((short) 0x0010).putShort((short) 0x0010).putInt(value.length).put(value);
    byte[] raw = b.array();
    var same = parse("[{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^John\"}]}}]");
    var other = parse("[{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^Jane\"}]}}]");
    var more =
        parse(
            "[{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^John\"}]},"
                + "\"00100020\":{\"vr\":\"LO\"}}]");
    assertThat(DcmtkComparisonTest.itemsMatch(raw, same)).isTrue();
    assertThat(DcmtkComparisonTest.itemsMatch(raw, other)).isFalse();
    assertThat(DcmtkComparisonTest.itemsMatch(raw, more)).isFalse();
    assertThat(DcmtkComparisonTest.itemsMatch(java.util.Arrays.copyOf(raw, raw.length - 1), same))
        .isFalse();
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    return DicomJsonDiff.strict(json.getBytes(StandardCharsets.UTF_8));
  }
}
