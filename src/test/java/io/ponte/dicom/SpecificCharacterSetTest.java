package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SpecificCharacterSetTest {

  private static String decode(String terms, byte[] b) {
    return SpecificCharacterSet.valueOf(terms.split("\\\\", -1)).decode(b, 0, b.length);
  }

  @Test
  void decodesLatin1AndUtf8() {
    assertThat(decode("ISO_IR 100", "Gonçalves^João".getBytes(StandardCharsets.ISO_8859_1)))
        .isEqualTo("Gonçalves^João");
    assertThat(decode("ISO_IR 192", "Dubois^Hélène=山田".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("Dubois^Hélène=山田");
    assertThat(decode("ISO 2022 IR 100", "Hélène".getBytes(StandardCharsets.ISO_8859_1)))
        .isEqualTo("Hélène");
  }

  @Test
  void decodesTheDefaultRepertoireLeniently() {
    assertThat(SpecificCharacterSet.DEFAULT.decode(new byte[] {'A', (byte) 0xE9}, 0, 2))
        .isEqualTo("Aé");
    assertThat(SpecificCharacterSet.valueOf()).isSameAs(SpecificCharacterSet.DEFAULT);
    assertThat(SpecificCharacterSet.valueOf("")).isSameAs(SpecificCharacterSet.DEFAULT);
  }

  @Test
  void unknownTermsDecodeAsLatin1WithAWarning() {
    SpecificCharacterSet cs = SpecificCharacterSet.valueOf("ISO_IR 999");
    assertThat(cs.decode("Zoë".getBytes(StandardCharsets.ISO_8859_1), 0, 3)).isEqualTo("Zoë");
    assertThat(cs.warnings()).singleElement().asString().contains("ISO_IR 999");
  }

  @Test
  void switchesCharacterSetsOnIso2022EscapeSequences() {
    // PS3.5 H.3.1 example: Yamada^Tarou=山田^太郎=やまだ^たろう with JIS X 0208 in G0.
    Charset jis = Charset.forName("ISO-2022-JP");
    String kanji = "山田^太郎";
    byte[] encoded =
        concat("Yamada^Tarou=".getBytes(StandardCharsets.US_ASCII), kanji.getBytes(jis));
    assertThat(decode("\\ISO 2022 IR 87", encoded)).isEqualTo("Yamada^Tarou=" + kanji);
    // Korean: KS X 1001 in G1 after ESC $ ) C.
    byte[] korean =
        concat(
            "Hong^Gildong=".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0x1B, '$', ')', 'C'},
            "洪^吉洞".getBytes(Charset.forName("EUC-KR")));
    assertThat(decode("\\ISO 2022 IR 149", korean)).isEqualTo("Hong^Gildong=洪^吉洞");
    // Latin-1 then Cyrillic in G1.
    byte[] mixed =
        concat(
            new byte[] {0x1B, '-', 'A'},
            "é".getBytes(StandardCharsets.ISO_8859_1),
            new byte[] {0x1B, '-', 'L'},
            "Д".getBytes(Charset.forName("ISO-8859-5")));
    assertThat(decode("ISO 2022 IR 100\\ISO 2022 IR 144", mixed)).isEqualTo("éД");
  }

  @Test
  void malformedEscapesNeverThrow() {
    byte[] b = {0x1B, 0x1B, 'A', 0x1B, '$'};
    assertThat(decode("ISO 2022 IR 6\\ISO 2022 IR 87", b)).contains("A");
  }

  @Test
  void encodesForSetString() {
    Attributes a = new Attributes();
    a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
    a.setString(Tag.PatientName, VR.PN, "Dubois^Hélène");
    assertThat(a.getBytes(Tag.PatientName))
        .isEqualTo("Dubois^Hélène".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(a.getString(Tag.PatientName)).isEqualTo("Dubois^Hélène");
    Sequence seq = a.newSequence(Tag.ReferencedStudySequence);
    Attributes item = seq.addItem();
    item.setString(Tag.PatientName, VR.PN, "Gonçalves^João");
    assertThat(item.getBytes(Tag.PatientName))
        .hasSize(14); // inherits Latin-1 from the enclosing data set
    a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    assertThat(item.specificCharacterSet().isUTF8()).isTrue();
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
