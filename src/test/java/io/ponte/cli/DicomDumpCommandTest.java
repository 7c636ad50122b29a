package io.ponte.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.dicom.VR;
import io.ponte.testing.DicomSamples;
import io.ponte.testing.PonteCli;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ponte dicom dump}, run through the same picocli entry point as {@code io.ponte.Main},
 * without Quarkus.
 */
class DicomDumpCommandTest {

  static final JsonMapper JSON = new JsonMapper();

  @TempDir Path tmp;

  /** A small valid Part 10 file written with the codec (no dependency on the shared samples). */
  Path smallFile() throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1143.1");
    ds.setString(Tag.PatientName, VR.PN, "Wang^XiaoDong=王^小東");
    ds.setString(Tag.PatientID, VR.LO, "PID-1");
    ds.setInt(Tag.Rows, VR.US, 2);
    ds.setInt(Tag.Columns, VR.US, 2);
    ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Path file = tmp.resolve("small.dcm");
    try (OutputStream out = Files.newOutputStream(file);
        DicomOutputStream dos = new DicomOutputStream(out)) {
      dos.writeFileMetaInformation(
          DicomOutputStream.createFileMetaInformation(
              UID.SecondaryCaptureImageStorage,
              "1.2.826.0.1.3680043.2.1143.1",
              UID.ExplicitVRLittleEndian));
      dos.writeDataset(ds, UID.ExplicitVRLittleEndian);
    }
    return file;
  }

  @Test
  void printsTheDataSetAsDicomJsonAndExitsZero() throws IOException {
    PonteCli.Result r = PonteCli.run("dicom", "dump", smallFile().toString());
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    JsonNode json = JSON.readTree(r.stdout());
    assertThat(json.at("/00100010/Value/0/Ideographic").asText()).isEqualTo("王^小東");
    assertThat(json.at("/00280010/Value/0").intValue()).isEqualTo(2);
    assertThat(json.at("/7FE00010/InlineBinary").asText()).isEqualTo("AQIDBAUGBwg=");
    assertThat(json.has("00020010"))
        .as("file meta left out by default, as dcm2json does")
        .isFalse();
    assertThat(r.out()).as("indented by default, as dcm2json").contains("\n  \"00080005\"");
  }

  @Test
  void addsTheFileMetaGroupWhenAsked() throws IOException {
    PonteCli.Result r =
        PonteCli.run("dicom", "dump", "--meta", "--compact", smallFile().toString());
    assertThat(r.exit()).isZero();
    JsonNode json = JSON.readTree(r.stdout());
    assertThat(json.at("/00020010/Value/0").asText()).isEqualTo(UID.ExplicitVRLittleEndian);
    assertThat(json.has("00020000")).as("group length never in JSON (F.2.2)").isFalse();
    assertThat(r.out().trim()).doesNotContain("\n");
  }

  @Test
  void namesOrOmitsBulkDataOnRequest() throws IOException {
    Path file = smallFile();
    PonteCli.Result uri =
        PonteCli.run(
            "dicom", "dump", "--bulk-data=uri", "--bulk-data-uri=https://node/b/", file.toString());
    assertThat(uri.exit()).isZero();
    assertThat(JSON.readTree(uri.stdout()).at("/7FE00010").toString())
        .isEqualTo("{\"vr\":\"OW\",\"BulkDataURI\":\"https://node/b/7FE00010\"}");
    PonteCli.Result omit = PonteCli.run("dicom", "dump", "--bulk-data=omit", file.toString());
    assertThat(omit.exit()).isZero();
    JsonNode json = JSON.readTree(omit.stdout());
    assertThat(json.has("7FE00010")).isFalse();
    assertThat(json.has("00100020")).isTrue();
  }

  @Test
  void exitsTwoWithTheByteOffsetOnATruncatedFile() throws IOException {
    Path whole = smallFile();
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = tmp.resolve("cut.dcm");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    PonteCli.Result r = PonteCli.run("dicom", "dump", cut.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr())
        .matches(
            "ponte: " + java.util.regex.Pattern.quote(cut.toString()) + ": at byte \\d+: .+\\R");
    assertThat(r.stdout()).as("no partial JSON on bad input").isEmpty();
  }

  @Test
  void exitsTwoOnAFileThatIsNotDicom() throws IOException {
    Path text = tmp.resolve("notes.txt");
    Files.writeString(
        text, "This is not a DICOM file, just some text that goes on for a while.\n".repeat(5));
    PonteCli.Result r = PonteCli.run("dicom", "dump", text.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("ponte: " + text + ": ");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void exitsTwoOnAnEmptyFile() throws IOException {
    Path empty = Files.createFile(tmp.resolve("empty.dcm"));
    PonteCli.Result r = PonteCli.run("dicom", "dump", empty.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("ponte: " + empty + ": ");
  }

  @Test
  void exitsTwoOnAMissingFile() {
    Path missing = tmp.resolve("nope.dcm");
    PonteCli.Result r = PonteCli.run("dicom", "dump", missing.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo("ponte: " + missing + ": no such file" + System.lineSeparator());
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void exitsTwoOnADirectory() {
    PonteCli.Result r = PonteCli.run("dicom", "dump", tmp.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("ponte: " + tmp + ": ");
  }

  @Test
  void exitsTwoOnUsageErrors() {
    assertThat(PonteCli.run("dicom", "dump").exit()).isEqualTo(2);
    assertThat(PonteCli.run("dicom", "dump", "--bulk-data=sometimes", "x.dcm").exit()).isEqualTo(2);
  }

  @Test
  void writesUtf8WhateverThePlatformCharset() throws IOException {
    PonteCli.Result r = PonteCli.run("dicom", "dump", "--compact", smallFile().toString());
    assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).contains("\"Ideographic\":\"王^小東\"");
  }

  @Test
  void dumpsASharedSampleWithoutQuarkus() throws IOException {
    Path sample = DicomSamples.file("CT_small.dcm");
    PonteCli.Result r = PonteCli.run("dicom", "dump", sample.toString());
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(JSON.readTree(r.stdout()).at("/00100010/Value/0/Alphabetic").asText())
        .isEqualTo("CompressedSamples^CT1");
  }
}
