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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /** Float Pixel Data as OF, Double Float Pixel Data as OD: each instance's own element only. */
  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({"7FE00008, OF, 7FE00009", "7FE00009, OD, 7FE00008"})
  void namesFloatPixelDataByItsOwnElementWithABulkDataUri(String element, String vr, String other) {
    String sop = element.equals("7FE00008") ? floatSop : doubleSop;
    Map<String, Object> instance = metadata(sop).getMap("[0]");
    assertThat(instance).doesNotContainKey("7FE00010").doesNotContainKey(other);
    @SuppressWarnings("unchecked")
    Map<String, Object> pixels = (Map<String, Object>) instance.get(element);
    assertThat(pixels).containsEntry("vr", vr);
    assertThat((String) pixels.get("BulkDataURI")).contains("/instances/" + sop + "/frames/1");
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
