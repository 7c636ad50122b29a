package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every attribute of the PS3.6 registry goes through the codec in implicit and in explicit VR and
 * comes back with its VR and value: in implicit VR the reader knows the VR from the dictionary
 * alone, so an attribute the dictionary lacks (or gets wrong) comes back as UN or with another VR.
 */
class DictionaryRoundTripTest {

  /**
   * A value for each VR whose encoding needs no padding, so the bytes read back are the bytes set.
   */
  private static final Map<VR, byte[]> SAMPLES =
      Map.ofEntries(
          Map.entry(VR.AE, ascii("AE01")),
          Map.entry(VR.AS, ascii("030Y")),
          Map.entry(VR.AT, new byte[] {0x08, 0x00, 0x20, 0x00}),
          Map.entry(VR.CS, ascii("CODE")),
          Map.entry(VR.DA, ascii("20240101")),
          Map.entry(VR.DS, ascii("15")),
          Map.entry(VR.DT, ascii("20240101120000")),
          Map.entry(VR.FL, new byte[] {0, 0, (byte) 0x80, 0x3F}),
          Map.entry(VR.FD, new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F}),
          Map.entry(VR.IS, ascii("12")),
          Map.entry(VR.LO, ascii("Long")),
          Map.entry(VR.LT, ascii("text")),
          Map.entry(VR.OB, new byte[] {1, 2, 3, 4}),
          Map.entry(VR.OD, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
          Map.entry(VR.OF, new byte[] {1, 2, 3, 4}),
          Map.entry(VR.OL, new byte[] {1, 2, 3, 4}),
          Map.entry(VR.OV, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
          Map.entry(VR.OW, new byte[] {1, 2, 3, 4}),
          Map.entry(VR.PN, ascii("Doe^Jane")),
          Map.entry(VR.SH, ascii("shrt")),
          Map.entry(VR.SL, new byte[] {1, 2, 3, 4}),
          Map.entry(VR.SS, new byte[] {1, 2}),
          Map.entry(VR.ST, ascii("text")),
          Map.entry(VR.SV, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
          Map.entry(VR.TM, ascii("120000")),
          Map.entry(VR.UC, ascii("uc")),
          Map.entry(VR.UI, ascii("1.23")),
          Map.entry(VR.UL, new byte[] {1, 2, 3, 4}),
          Map.entry(VR.UN, new byte[] {1, 2, 3, 4}),
          Map.entry(VR.UR, ascii("http://x")),
          // 2, not 1: Pixel Representation 1 would turn the "US or SS" attributes signed.
          Map.entry(VR.US, new byte[] {2, 0}),
          Map.entry(VR.UT, ascii("text")),
          Map.entry(VR.UV, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));

  @ParameterizedTest
  @ValueSource(strings = {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian})
  void everyRegistryAttributeRoundTrips(String transferSyntax) throws IOException {
    Attributes written = new Attributes();
    List<Integer> tags = registryTags();
    for (int tag : tags) {
      VR vr = ElementDictionary.vrOf(tag);
      if (vr == VR.SQ) {
        written.newSequence(tag).addItem().setValue(Tag.CodeValue, VR.SH, ascii("C1"));
      } else {
        written.setValue(tag, vr, sample(tag, vr));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DicomOutputStream dos = new DicomOutputStream(out)) {
      dos.writeDataset(written, transferSyntax);
    }
    Attributes read;
    try (DicomInputStream din =
        DicomInputStream.ofDataset(new ByteArrayInputStream(out.toByteArray()), transferSyntax)) {
      read = din.readDataset();
    }
    List<String> wrong = new ArrayList<>();
    for (int tag : tags) {
      VR vr = ElementDictionary.vrOf(tag);
      if (read.getVR(tag) != vr) {
        wrong.add(Tag.toString(tag) + " read as " + read.getVR(tag) + ", registry says " + vr);
      } else if (vr == VR.SQ) {
        if (!"C1".equals(read.getItems(tag).get(0).getString(Tag.CodeValue))) {
          wrong.add(Tag.toString(tag) + " item lost");
        }
      } else if (!Arrays.equals(read.getBytes(tag), sample(tag, vr))) {
        wrong.add(Tag.toString(tag) + " value changed");
      }
    }
    assertThat(tags).hasSizeGreaterThan(5000);
    assertThat(wrong).as("attributes that did not round-trip").isEmpty();
  }

  @Test
  void everyFileMetaAttributeRoundTrips() throws IOException {
    Attributes fmi =
        DicomOutputStream.createFileMetaInformation(
            "1.2.840.10008.5.1.4.1.1.7", "1.2.3.4", UID.ImplicitVRLittleEndian);
    List<Integer> group2 = new ArrayList<>();
    for (int tag : ElementDictionary.tags()) {
      if (tag >>> 16 == 0x0002 && (tag & 0xFFFF) != 0 && !fmi.contains(tag)) {
        fmi.setValue(tag, ElementDictionary.vrOf(tag), sample(tag, ElementDictionary.vrOf(tag)));
        group2.add(tag);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DicomOutputStream dos = new DicomOutputStream(out)) {
      dos.writeFileMetaInformation(fmi);
      dos.writeDataset(new Attributes(), UID.ImplicitVRLittleEndian);
    }
    Attributes read;
    try (DicomInputStream din = new DicomInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      din.readDataset();
      read = din.readFileMetaInformation();
    }
    assertThat(group2).isNotEmpty();
    for (int tag : group2) {
      assertThat(read.getVR(tag)).as(Tag.toString(tag)).isEqualTo(ElementDictionary.vrOf(tag));
      assertThat(read.getBytes(tag)).as(Tag.toString(tag)).isEqualTo(fmi.getBytes(tag));
    }
  }

  @Test
  void implicitVrReadersKnowRtAttributesAndRetiredOnes() {
    assertThat(ElementDictionary.vrOf(0x3004000E)).isEqualTo(VR.DS); // DoseGridScaling
    assertThat(ElementDictionary.vrOf(0x30060039)).isEqualTo(VR.SQ); // ROIContourSequence
    assertThat(ElementDictionary.keywordOf(0x30060050)).isEqualTo("ContourData");
    assertThat(ElementDictionary.isRetired(0x00080010)).isTrue(); // RecognitionCode
    assertThat(ElementDictionary.vrOf(0x00180061)).isEqualTo(VR.DS); // retired, no keyword
  }

  @Test
  void repeatingGroupsAreEvenGroupsOnly() {
    assertThat(ElementDictionary.vrOf(0x60023000)).isEqualTo(VR.OW); // OverlayData, 2nd overlay
    assertThat(ElementDictionary.keywordOf(0x601E0022)).isEqualTo("OverlayDescription");
    assertThat(ElementDictionary.vrOf(0x50040005)).isEqualTo(VR.US); // retired curve group
    assertThat(ElementDictionary.vrOf(0x60011000)).isEqualTo(VR.UN); // odd group: private
    assertThat(ElementDictionary.vrOf(0x60010010)).isEqualTo(VR.LO); // its private creator
    assertThat(ElementDictionary.vrOf(0x002031AB)).isEqualTo(VR.CS); // SourceImageIDs range
    assertThat(ElementDictionary.tagForKeyword("OverlayData")).isEqualTo(0x60003000);
  }

  @Test
  void usOrSsFollowsPixelRepresentationInImplicitVr() throws IOException {
    Attributes ds = new Attributes();
    ds.setValue(Tag.PixelRepresentation, VR.US, new byte[] {1, 0});
    ds.setValue(
        0x00280106, VR.SS, new byte[] {(byte) 0xFF, (byte) 0xFF}); // SmallestImagePixelValue
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DicomOutputStream dos = new DicomOutputStream(out)) {
      dos.writeDataset(ds, UID.ImplicitVRLittleEndian);
    }
    try (DicomInputStream din =
        DicomInputStream.ofDataset(
            new ByteArrayInputStream(out.toByteArray()), UID.ImplicitVRLittleEndian)) {
      assertThat(din.readDataset().getVR(0x00280106)).isEqualTo(VR.SS);
    }
  }

  /**
   * The registry's exact tags, and each repeating one at its first and second group or element;
   * group lengths, item delimiters and the file meta group (always explicit VR, {@link
   * #everyFileMetaAttributeRoundTrips}) are the codec's to write, not a data set's.
   */
  private static List<Integer> registryTags() {
    List<Integer> tags = new ArrayList<>();
    for (int tag : ElementDictionary.tags()) {
      int group = tag >>> 16;
      if ((tag & 0xFFFF) != 0 && group != 0xFFFE && group != 0x0002) {
        tags.add(tag);
      }
    }
    for (int tag : new int[] {0x60023000, 0x50020005, 0x002031FE, 0x10000011, 0x10100004}) {
      tags.add(tag);
    }
    return tags;
  }

  private static byte[] sample(int tag, VR vr) {
    if (tag == Tag.SpecificCharacterSet) {
      return ascii("ISO_IR 100");
    }
    return SAMPLES.get(vr);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
