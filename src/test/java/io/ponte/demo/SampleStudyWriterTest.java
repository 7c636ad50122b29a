package io.ponte.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.cli.PonteCommand;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SampleStudyWriterTest {

  @TempDir Path dir;

  @Test
  void writesReadableStudiesWithTheCataloguedPatientAndValidUids() throws IOException {
    DemoCatalogue.Study study = DemoCatalogue.STUDIES.get(0);
    List<Path> files = SampleStudyWriter.write(study, dir, 32);

    assertThat(files).hasSize(study.series() * study.instancesPerSeries());
    Set<String> series = new HashSet<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file);
          DicomInputStream dis = new DicomInputStream(in)) {
        Attributes ds = dis.readDataset();
        assertThat(ds.getString(Tag.PatientName)).isEqualTo("Gonçalves^Maria");
        assertThat(ds.getString(Tag.PatientID)).isEqualTo(study.patient().mrn());
        assertThat(ds.getString(Tag.StudyInstanceUID))
            .isEqualTo(SampleStudyWriter.uid(study.key()));
        assertThat(UID.isValid(ds.getString(Tag.SOPInstanceUID))).isTrue();
        assertThat(ds.getBytes(Tag.PixelData)).hasSize(32 * 32 * 2);
        series.add(ds.getString(Tag.SeriesInstanceUID));
      }
    }
    assertThat(series).hasSize(study.series());
  }

  @Test
  void uidsAreDeterministicValidAndDistinct() {
    assertThat(SampleStudyWriter.uid("a")).isEqualTo(SampleStudyWriter.uid("a"));
    assertThat(SampleStudyWriter.uid("a")).isNotEqualTo(SampleStudyWriter.uid("b"));
    assertThat(SampleStudyWriter.uid("a")).startsWith("2.25.").matches(UID::isValid);
  }

  @Test
  void samplesCommandWritesOneFolderPerSiteAndTheIdentityLinks() throws IOException {
    int exit =
        new CommandLine(new PonteCommand())
            .execute("demo", "samples", "--out", dir.toString(), "--size", "16");

    assertThat(exit).isZero();
    assertThat(dir.resolve("hospital-a")).isDirectory();
    assertThat(dir.resolve("hospital-b")).isDirectory();
    try (Stream<Path> all = Files.walk(dir)) {
      long expected =
          DemoCatalogue.STUDIES.stream()
              .mapToLong(s -> (long) s.series() * s.instancesPerSeries())
              .sum();
      assertThat(all.filter(p -> p.toString().endsWith(".dcm")).count()).isEqualTo(expected);
    }
    String links =
        Files.readString(
            dir.resolve("identity-links").resolve(DemoCatalogue.LINKED_REGIONAL_ID + ".json"),
            StandardCharsets.UTF_8);
    assertThat(links)
        .contains(
            "\"urn:ponte:site:hospital-a:mrn\"",
            "\"HA-100234\"",
            "\"urn:ponte:site:hospital-b:mrn\"",
            "\"HB-5521\"");
    // the demo consent and the ready block's line about it (DemoConsentTest posts it to a hub)
    assertThat(Files.readString(dir.resolve("consents").resolve("HA-100871.json")))
        .contains("\"HA-100871\"", "\"Organization/hospital-b\"", "\"deny\"");
    assertThat(Files.readString(dir.resolve("consents").resolve("ready-line.txt")))
        .isEqualTo(
            "Demo consent: Hélène Dubois (HA-100871 at hospital-a) does not share with Hospital B\n");
  }

  /**
   * The study the bring-up archives is one of the written studies, of Maria (so her timeline shows
   * it), and not the first of its site (demo_sharing retrieves that one).
   */
  @Test
  void samplesCommandNamesTheStudyToArchiveAndItsReadyLine() throws IOException {
    new CommandLine(new PonteCommand())
        .execute("demo", "samples", "--out", dir.toString(), "--size", "16");

    String[] archived =
        Files.readString(dir.resolve("archived").resolve("study.txt")).trim().split(" ");
    assertThat(archived).hasSize(2);
    Path site = dir.resolve(archived[0]);
    Path first;
    try (Stream<Path> studies = Files.list(site)) {
      first = studies.sorted().findFirst().orElseThrow();
    }
    Path file;
    try (Stream<Path> files = Files.walk(site)) {
      file =
          files
              .filter(p -> p.toString().endsWith(".dcm"))
              .filter(p -> archived[1].equals(studyUidOf(p)))
              .findFirst()
              .orElseThrow();
    }
    assertThat(file.getParent()).isNotEqualTo(first);
    try (InputStream in = Files.newInputStream(file);
        DicomInputStream dis = new DicomInputStream(in)) {
      assertThat(dis.readDataset().getString(Tag.PatientID)).isEqualTo("HB-5521");
    }
    assertThat(Files.readString(dir.resolve("archived").resolve("ready-line.txt")))
        .isEqualTo(
            "Archived prior      Maria's Chest PA/LAT of 2020-11-23 (HB-5521 at hospital-b) is in"
                + " the Archive tier: on the timeline it opens a restore page; start the restore"
                + " there (about 30 s here) and the page offers the viewer once it is back\n");
  }

  private static String studyUidOf(Path file) {
    try (InputStream in = Files.newInputStream(file);
        DicomInputStream dis = new DicomInputStream(in)) {
      return dis.readDataset().getString(Tag.StudyInstanceUID);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
