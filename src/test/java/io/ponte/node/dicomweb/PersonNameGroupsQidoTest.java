package io.ponte.node.dicomweb;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;

import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * QIDO-RS PatientName without '=' matches any component group (PS3.4 C.2.2.2.1): the ideographic
 * and phonetic groups of "Yamada^Tarou=山田^太郎=やまだ^たろう" too. Two instances written by dcmodify: one
 * in ISO_IR 192 (UTF-8), one in ISO 2022 IR 87 with the escape sequences of PS3.5 H.3.1.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class PersonNameGroupsQidoTest {

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");
  private static final String ESC = "\u001b";

  static String utf8Study;
  static String jisStudy;
  static String family;

  @Inject InstanceStore store;

  @BeforeEach
  void ingestOnce() throws Exception {
    if (utf8Study != null) {
      return;
    }
    Path dir = Files.createTempDirectory(Paths.get("target"), "pn-groups-");
    // A run-unique alphabetic family name keeps other runs' rows out of the answers.
    family = "Yamada" + Long.toString(System.nanoTime() % 1_000_000_000L, 36).toUpperCase();
    utf8Study = DicomTestFiles.newUid();
    jisStudy = DicomTestFiles.newUid();
    Path utf8 = file(dir, utf8Study, "ISO_IR 192", family + "^Tarou=山田^太郎=やまだ^たろう");
    Path jis =
        file(
            dir,
            jisStudy,
            "\\ISO 2022 IR 87",
            family
                + "^Tarou="
                + ESC
                + "$B;3ED"
                + ESC
                + "(B^"
                + ESC
                + "$BB@O:"
                + ESC
                + "(B="
                + ESC
                + "$B$d$^$@"
                + ESC
                + "(B^"
                + ESC
                + "$B$?$m$&"
                + ESC
                + "(B");
    for (Path f : new Path[] {utf8, jis}) {
      try (InputStream in = Files.newInputStream(f)) {
        store.storePart10(SOURCE, in);
      }
    }
  }

  private static Path file(Path dir, String study, String charset, String name) throws Exception {
    String sop = DicomTestFiles.newUid();
    Path f = DicomTestFiles.ct(dir, study, DicomTestFiles.newUid(), sop, 32, 5);
    DicomTestFiles.run(
        "dcmodify",
        "-nb",
        "-m",
        "(0008,0005)=" + charset,
        "-m",
        "(0010,0010)=" + name,
        f.toString());
    return f;
  }

  /** The studies of this run among those a PatientName matches. */
  private static io.restassured.response.ValidatableResponse search(String patientName) {
    return given()
        .auth()
        .oauth2(Tokens.client("ponte-hub"))
        .queryParam("PatientName", patientName)
        .queryParam("limit", 1000)
        .get("/dicomweb/studies")
        .then()
        .statusCode(200);
  }

  @Test
  void matchesTheIdeographicGroup() {
    search("山田*")
        .body("'0020000D'.Value.flatten()", org.hamcrest.Matchers.hasItems(utf8Study, jisStudy));
  }

  @Test
  void matchesThePhoneticGroup() {
    search("やまだ^たろう")
        .body("'0020000D'.Value.flatten()", org.hamcrest.Matchers.hasItems(utf8Study, jisStudy));
  }

  @Test
  void stillMatchesTheAlphabeticGroupAndTheWholeValue() {
    search(family.toLowerCase() + "*")
        .body("'0020000D'.Value.flatten()", containsInAnyOrder(utf8Study, jisStudy));
    search(family + "^Tarou=山田^太郎=やまだ^たろう")
        .body("'0020000D'.Value.flatten()", containsInAnyOrder(utf8Study, jisStudy));
  }

  @Test
  void matchesNoGroupItDoesNotStartWith() {
    search("田*")
        .body(
            "findAll { it.'00100010'.Value[0].Alphabetic.startsWith('" + family + "') }", empty());
    search(family + "=山中*").body("$", empty());
  }
}
