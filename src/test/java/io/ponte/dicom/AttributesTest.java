package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributesTest {

  @Test
  void keepsElementsOrderedByTagWhateverTheInsertionOrder() {
    Attributes a = new Attributes(2);
    a.setString(Tag.PatientName, VR.PN, "B");
    a.setString(Tag.SOPInstanceUID, VR.UI, "1.2");
    a.setBytes(Tag.PixelData, VR.OW, new byte[2]);
    a.setString(0x00091001, VR.LO, "p");
    a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
    List<Integer> tags = new ArrayList<>();
    for (Attributes.Element e : a) {
      tags.add(e.tag());
    }
    assertThat(tags)
        .containsExactly(
            Tag.SpecificCharacterSet,
            Tag.SOPInstanceUID,
            0x00091001,
            Tag.PatientName,
            Tag.PixelData);
    assertThat(a.remove(0x00091001)).isNotNull();
    assertThat(a.size()).isEqualTo(4);
    assertThat(a.contains(0x00091001)).isFalse();
    assertThat(a.getVR(Tag.PatientName)).isEqualTo(VR.PN);
  }

  @Test
  void stringsLoseTheirPaddingAndEmptyValuesAreNull() {
    Attributes a = new Attributes();
    a.setBytes(Tag.SOPInstanceUID, VR.UI, "1.2.3\0".getBytes(StandardCharsets.US_ASCII));
    a.setBytes(Tag.ImageType, VR.CS, "ORIGINAL\\\\AXIAL ".getBytes(StandardCharsets.US_ASCII));
    a.setBytes(Tag.SeriesNumber, VR.IS, " 12 ".getBytes(StandardCharsets.US_ASCII));
    a.setBytes(Tag.PatientName, VR.PN, new byte[0]);
    a.setBytes(Tag.PatientComments, VR.LT, "  indented\\kept ".getBytes(StandardCharsets.US_ASCII));
    assertThat(a.getString(Tag.SOPInstanceUID)).isEqualTo("1.2.3");
    assertThat(a.getStrings(Tag.ImageType)).containsExactly("ORIGINAL", null, "AXIAL");
    assertThat(a.getString(Tag.ImageType, 2)).isEqualTo("AXIAL");
    assertThat(a.getInt(Tag.SeriesNumber, -1)).isEqualTo(12);
    assertThat(a.getString(Tag.PatientName)).isNull();
    assertThat(a.getString(Tag.PatientName, "none")).isEqualTo("none");
    assertThat(a.getString(Tag.PatientComments)).isEqualTo("  indented\\kept");
    assertThat(a.getString(Tag.StudyDate)).isNull();
    assertThat(a.getInt(Tag.Rows, 7)).isEqualTo(7);
  }

  @Test
  void binaryNumbersReadAsTextAndInts() {
    Attributes a = new Attributes();
    a.setInt(Tag.Rows, VR.US, 65535);
    a.setInt(Tag.SmallestImagePixelValue, VR.SS, -5);
    a.setInt(Tag.FrameIncrementPointer, VR.AT, 0x00181063);
    a.setString(Tag.WindowCenter, VR.DS, "40.5", "-600");
    assertThat(a.getString(Tag.Rows)).isEqualTo("65535");
    assertThat(a.getInt(Tag.Rows, 0)).isEqualTo(65535);
    assertThat(a.getInt(Tag.SmallestImagePixelValue, 0)).isEqualTo(-5);
    assertThat(a.getString(Tag.FrameIncrementPointer)).isEqualTo("00181063");
    assertThat(a.getDouble(Tag.WindowCenter, 0)).isEqualTo(40.5);
    assertThat(a.getInts(Tag.WindowCenter)).containsExactly(40, -600);
  }

  @Test
  void deepCopiesAreIndependent() {
    Attributes a = new Attributes();
    a.newSequence(Tag.ReferencedSeriesSequence)
        .addItem()
        .setString(Tag.SeriesInstanceUID, VR.UI, "1.2");
    Attributes b = new Attributes(a);
    b.getSequence(Tag.ReferencedSeriesSequence)
        .get(0)
        .setString(Tag.SeriesInstanceUID, VR.UI, "9.9");
    assertThat(a.getSequence(Tag.ReferencedSeriesSequence).get(0).getString(Tag.SeriesInstanceUID))
        .isEqualTo("1.2");
    assertThat(b.getSequence(Tag.ReferencedSeriesSequence).get(0).parent()).isSameAs(b);
  }

  @Test
  void dictionaryKnowsKeywordsNamesAndVRs() {
    assertThat(ElementDictionary.tagForKeyword("PatientID")).isEqualTo(0x00100020);
    assertThat(ElementDictionary.keywordOf(Tag.StudyInstanceUID)).isEqualTo("StudyInstanceUID");
    assertThat(ElementDictionary.nameOf(Tag.PatientName)).isEqualTo("Patient Name");
    assertThat(ElementDictionary.nameOf(Tag.SOPInstanceUID)).isEqualTo("SOP Instance UID");
    assertThat(ElementDictionary.vrOf(Tag.PixelData)).isEqualTo(VR.OW);
    assertThat(ElementDictionary.vrOf(0x00091010)).isEqualTo(VR.UN);
    assertThat(ElementDictionary.vrOf(0x00090010)).isEqualTo(VR.LO);
    assertThat(ElementDictionary.vrOf(0x60003000)).isEqualTo(VR.OW);
    assertThat(ElementDictionary.vrOf(0x00200000)).isEqualTo(VR.UL);
    assertThat(ElementDictionary.tagForKeyword("NoSuchKeyword")).isEqualTo(-1);
    assertThat(Tag.toString(Tag.PatientID)).isEqualTo("(0010,0020)");
    assertThat(Tag.toString(Tag.PixelData)).isEqualTo("(7FE0,0010)");
    assertThat(VR.of("OB")).isEqualTo(VR.OB);
    assertThat(VR.of("ob")).isNull();
  }
}
