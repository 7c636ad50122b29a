package io.ponte.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.testing.Dcmtk;
import io.ponte.testing.DicomSamples;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every shared sample file read by our codec and by dcmtk: the two readings must agree element by
 * element.
 */
class SampleFilesTest {

  static Attributes[] read(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
        DicomInputStream din = new DicomInputStream(in)) {
      Attributes ds = din.readDataset();
      return new Attributes[] {din.readFileMetaInformation(), ds};
    }
  }

  @TestFactory
  Stream<DynamicTest> readsEverySampleAsDcmtkDoes() {
    Dcmtk.require("dcmdump");
    return DicomSamples.all().stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(), () -> assertReadsAsDcmtk(file)));
  }

  static void assertReadsAsDcmtk(Path file) throws IOException {
    DcmDump dump = DcmDump.of(file, false);
    if (dump != null && dump.dataset.stream().anyMatch(n -> n.tag == Tag.SpecificCharacterSet)) {
      dump = DcmDump.of(file, true); // let dcmtk decode the text, independently of our decoder
    }
    if (dump == null) {
      // dcmtk rejects the file (truncated, corrupt): so must we, with a located reason.
      assertThatThrownBy(() -> read(file))
          .isInstanceOf(DicomParseException.class)
          .hasMessageStartingWith("at byte ");
      return;
    }
    String ts;
    Attributes[] read;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
        DicomInputStream din = new DicomInputStream(in)) {
      read = new Attributes[] {null, din.readDataset()};
      read[0] = din.readFileMetaInformation();
      ts = din.transferSyntax();
    }
    DumpComparator meta = new DumpComparator(true, dump.utf8);
    if (read[0] != null) {
      meta.compare("meta", read[0], dump.meta);
    } else {
      assertThat(dump.meta).as("dcmtk finds meta information").isEmpty();
    }
    DumpComparator data = new DumpComparator(!UID.isImplicitVR(ts), dump.utf8);
    data.compare("", read[1], dump.dataset);
    assertThat(meta.problems).as("meta differences").isEmpty();
    assertThat(data.problems).as("data set differences").isEmpty();
    // Every element dcmtk printed was compared (more when we parsed a private sequence dcmtk keeps
    // as bytes).
    assertThat(data.compared()).isGreaterThanOrEqualTo(countNodes(dump.dataset));
    if (dump.utf8 && read[1].contains(Tag.SpecificCharacterSet)) {
      DcmDump raw = DcmDump.of(file, false);
      DcmDump.Node cs =
          raw.dataset.stream()
              .filter(n -> n.tag == Tag.SpecificCharacterSet)
              .findFirst()
              .orElseThrow();
      assertThat(List.of(read[1].getStrings(Tag.SpecificCharacterSet)))
          .containsExactly(DcmDump.text(cs, false).split("\\\\"));
    }
  }

  static int countNodes(List<DcmDump.Node> nodes) {
    int n = 0;
    for (DcmDump.Node node : nodes) {
      n++;
      for (List<DcmDump.Node> item : node.items) {
        n += countNodes(item);
      }
    }
    return n;
  }

  @Test
  void headerOnlyReadStopsBeforePixelDataAndMatchesTheFullRead() throws IOException {
    for (Path file : DicomSamples.all()) {
      if (DcmDump.of(file, false) == null) {
        continue;
      }
      Attributes full = read(file)[1];
      try (DicomInputStream din =
          new DicomInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
        Attributes header = din.readDatasetUntilPixelData();
        assertThat(header.contains(Tag.PixelData)).as(file.toString()).isFalse();
        int expected = 0;
        while (expected < full.size()
            && Integer.compareUnsigned(full.tagAt(expected), Tag.PixelData) < 0) {
          expected++;
        }
        assertThat(header.size()).as(file.getFileName().toString()).isEqualTo(expected);
        // Continuing reads the rest into the same object.
        Attributes rest = din.readDataset();
        assertThat(rest).isSameAs(header);
        assertThat(rest.size()).isEqualTo(full.size());
      }
    }
  }

  @Test
  void truncatedSamplesFailWithALocatedReason() throws IOException {
    Path dir = DicomSamples.require();
    for (String name : List.of("MR_truncated.dcm", "rtplan_truncated.dcm")) {
      Path f = dir.resolve(name);
      if (Files.exists(f)) {
        assertThatThrownBy(() -> read(f))
            .as(name)
            .isInstanceOf(DicomParseException.class)
            .hasMessageContaining("truncated");
      }
    }
  }

  @Test
  void readsLatin1AndUtf8NamesWithTheirCharacterSets() throws IOException {
    Path dir = DicomSamples.require();
    assertThat(read(dir.resolve("chrFren.dcm"))[1].getString(Tag.PatientName))
        .isEqualTo("Buc^Jérôme");
    assertThat(read(dir.resolve("chrX1.dcm"))[1].getString(Tag.PatientName))
        .isEqualTo("Wang^XiaoDong=王^小東=");
  }

  @Test
  void readsAPrivateImplicitSequenceAsASequence() throws IOException {
    Attributes ds = read(DicomSamples.require().resolve("priv_SQ.dcm"))[1];
    assertThat(ds.getVR(0x3F031001)).isEqualTo(VR.SQ);
    assertThat(ds.getSequence(0x3F031001)).isNotEmpty();
  }

  @Test
  void detectsEncodingOfFilesWithoutTransferSyntaxOrMeta() throws IOException {
    Path dir = DicomSamples.require();
    try (DicomInputStream din =
        new DicomInputStream(Files.newInputStream(dir.resolve("meta_missing_tsyntax.dcm")))) {
      din.readDataset();
      assertThat(din.transferSyntax()).isEqualTo(UID.ImplicitVRLittleEndian);
      assertThat(din.warnings()).anyMatch(w -> w.contains("no Transfer Syntax UID"));
    }
    try (DicomInputStream din =
        new DicomInputStream(Files.newInputStream(dir.resolve("ExplVR_LitEndNoMeta.dcm")))) {
      din.readDataset();
      assertThat(din.readFileMetaInformation()).isNull();
      assertThat(din.transferSyntax()).isEqualTo(UID.ExplicitVRLittleEndian);
    }
  }
}
