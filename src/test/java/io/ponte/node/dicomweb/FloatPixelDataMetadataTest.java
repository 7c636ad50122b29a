package io.ponte.node.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WADO-RS metadata names the pixel data element an instance actually has (PS3.18 F.2): Float Pixel
 * Data (7FE0,0008) as OF, Double Float Pixel Data (7FE0,0009) as OD, each with a BulkDataURI, and
 * never a Pixel Data (7FE0,0010) the instance lacks. Files written by dcmtk (dump2dcm, dcmodify).
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class FloatPixelDataMetadataTest {

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");

  static String study;
  static String series;
  static String floatSop;
  static String doubleSop;
  static String intSop;

  @Inject InstanceStore store;

  @BeforeEach
  void ingestOnce() throws Exception {
    if (study != null) {
      return;
    }
    Path dir = Files.createTempDirectory(Paths.get("target"), "float-");
    study = DicomTestFiles.newUid();
    series = DicomTestFiles.newUid();
    floatSop = DicomTestFiles.newUid();
    doubleSop = DicomTestFiles.newUid();
    intSop = DicomTestFiles.newUid();
    Path floats = floating(dir, floatSop, "(7FE0,0008)", 32);
    Path doubles = floating(dir, doubleSop, "(7FE0,0009)", 64);
    Path ints = DicomTestFiles.ct(dir, study, series, intSop, 32, 3);
    for (Path f : new Path[] {floats, doubles, ints}) {
      try (InputStream in = Files.newInputStream(f)) {
        store.storePart10(SOURCE, in);
      }
    }
  }

  /**
   * A 4x4 image whose Pixel Data dcmodify replaced by 16 values of the float element {@code tag}.
   */
  private static Path floating(Path dir, String sop, String tag, int bits) throws Exception {
    Path file = DicomTestFiles.ct(dir, study, series, sop, 32, 7);
    StringBuilder values = new StringBuilder();
    for (int k = 0; k < 16; k++) {
      values.append(k == 0 ? "" : "\\").append(k).append(".5");
    }
    DicomTestFiles.run(
        "dcmodify",
        "-nb",
        "-e",
        "(7FE0,0010)",
        "-e",
        "(0028,0101)",
        "-e",
        "(0028,0102)",
        "-e",
        "(0028,0103)",
        "-m",
        "(0028,0100)=" + bits,
        "-i",
        tag + "=" + values,
        file.toString());
    return file;
  }

  private static JsonPath metadata(String sop) {
    return given()
        .auth()
        .oauth2(Tokens.client("ponte-hub"))
        .get("/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop + "/metadata")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void namesFloatPixelDataAsOfWithABulkDataUri() {
    Map<String, Object> instance = metadata(floatSop).getMap("[0]");
    assertThat(instance).doesNotContainKey("7FE00010").doesNotContainKey("7FE00009");
    @SuppressWarnings("unchecked")
    Map<String, Object> pixels = (Map<String, Object>) instance.get("7FE00008");
    assertThat(pixels).containsEntry("vr", "OF");
    assertThat((String) pixels.get("BulkDataURI")).contains("/instances/" + floatSop + "/frames/1");
  }

  @Test
  void namesDoubleFloatPixelDataAsOdWithABulkDataUri() {
    Map<String, Object> instance = metadata(doubleSop).getMap("[0]");
    assertThat(instance).doesNotContainKey("7FE00010").doesNotContainKey("7FE00008");
    @SuppressWarnings("unchecked")
    Map<String, Object> pixels = (Map<String, Object>) instance.get("7FE00009");
    assertThat(pixels).containsEntry("vr", "OD");
    assertThat((String) pixels.get("BulkDataURI"))
        .contains("/instances/" + doubleSop + "/frames/1");
  }

  @Test
  void keepsNamingIntegerPixelDataAsPixelData() {
    Map<String, Object> instance = metadata(intSop).getMap("[0]");
    assertThat(instance).doesNotContainKey("7FE00008").doesNotContainKey("7FE00009");
    @SuppressWarnings("unchecked")
    Map<String, Object> pixels = (Map<String, Object>) instance.get("7FE00010");
    assertThat(pixels).containsEntry("vr", "OW").containsKey("BulkDataURI");
  }
}
