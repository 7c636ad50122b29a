package io.ponte.node.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.ponte.node.storage.NodeStorageConfig;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention end to end: a real hub and a real node of hospital-a (the packaged jar), real Keycloak
 * tokens, PostgreSQL and Azurite, and the operator's commands as they are typed. Three studies are
 * published: one whose retention ended, one whose retention ended but is put on legal hold, one
 * inside its retention. Bad hold commands fail with a message and a nonzero status; the dry run
 * lists and deletes nothing; the real run deletes only the first (cache, Blob, index), the hub
 * stops listing it, and both the node and the hub hold the audit records of the deletion.
 */
class RetentionIT {

  static final String HUB_DB = "ponte_hub_retention_it";
  static final String NODE_DB = "ponte_node_retention_it";
  static final Duration PATIENCE = Duration.ofSeconds(90);
  static final Duration COMMAND = Duration.ofMinutes(3);
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final Path FILES = Paths.get("target", "it-files-retention-" + RUN);
  static final String CONTAINER = "ponte-it-retention-" + RUN;

  static PonteProcess hub;
  static PonteProcess node;
  static PonteProcess.Builder nodeConfig;

  static final String EXPIRED = DicomTestFiles.newUid();
  static final String HELD = DicomTestFiles.newUid();
  static final String INSIDE = DicomTestFiles.newUid();

  @BeforeAll
  static void start() throws Exception {
    hub = PonteProcess.hub(HUB_DB).start();
    nodeConfig =
        PonteProcess.node("hospital-a", NODE_DB)
            .env("PONTE_HUB_URL", hub.baseUrl())
            .env(
                "PONTE_NODE_CACHE_DIR",
                Paths.get("target", "it-cache-retention-" + RUN).toAbsolutePath().toString())
            .property("ponte.node.storage.blob-container", CONTAINER)
            .property("ponte.node.dimse.enabled", "false")
            .property("ponte.node.storage.upload-interval", "1s")
            .property("ponte.node.publish.quiet-period", "2s")
            .property("ponte.node.publish.poll-interval", "1s")
            .property("ponte.node.retention.interval", "2s")
            // the site's outpatient marker: the ward its RIS writes for outpatient visits
            .property("ponte.node.retention.rules[2].attribute", "(0038,0300)")
            .property("ponte.node.retention.rules[2].values", "OUTPATIENT")
            .property("ponte.node.retention.rules[2].class", "OUTPATIENT");
    node = nodeConfig.start();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void onlyAStudyWhoseRetentionEndedAndIsNotHeldIsDeletedAndWithdrawnFromTheHub() throws Exception {
    stow(EXPIRED, "19990301", "OUTPATIENT"); // ends 2014-03-01
    stow(HELD, "19990301", "OUTPATIENT"); // ends 2014-03-01, held below
    stow(INSIDE, "20200301", "OUTPATIENT"); // ends 2035-03-01
    for (String study : List.of(EXPIRED, HELD, INSIDE)) {
      awaitTrue("the hub lists " + study, () -> search(study).getInt("total") == 1);
      awaitTrue(
          "uploaded " + study,
          () ->
              nodeCount(
                      "select count(*) from instance where study_instance_uid = ? and blob_state = 'UPLOADED'",
                      study)
                  == 1);
    }
    String blobOfExpired =
        nodeString("select blob_name from instance where study_instance_uid = ?", EXPIRED);
    assertThat(blobExists(blobOfExpired)).isTrue();

    // bad input: clear message, nonzero status, nothing changed
    PonteProcess.Builder.Run unknown =
        command("node", "hold", "--site", "hospital-a", "--study", "1.2.3.4", "--reason", "x");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.output()).contains("no study 1.2.3.4 at this node (site hospital-a)");
    PonteProcess.Builder.Run notHeld =
        command("node", "hold", "--site", "hospital-a", "--study", INSIDE, "--release");
    assertThat(notHeld.exitCode()).isEqualTo(1);
    assertThat(notHeld.output()).contains("is not on hold");

    PonteProcess.Builder.Run held =
        command(
            "node",
            "hold",
            "--site",
            "hospital-a",
            "--study",
            HELD,
            "--reason",
            "court order 77/2026",
            "--by",
            "dr.lex");
    assertThat(held.exitCode()).as(held.output()).isZero();

    PonteProcess.Builder.Run dry =
        command("node", "delete-expired", "--site", "hospital-a", "--dry-run");
    assertThat(dry.exitCode()).as(dry.output()).isZero();
    assertThat(dry.output())
        .contains("would delete: study " + EXPIRED)
        .contains("kept (legal hold): study " + HELD)
        .contains("1 would be deleted, 1 kept on legal hold")
        .doesNotContain(INSIDE);
    assertThat(nodeCount("select count(*) from study where study_instance_uid = ?", EXPIRED))
        .isEqualTo(1);
    assertThat(blobExists(blobOfExpired)).isTrue();

    PonteProcess.Builder.Run real =
        command("node", "delete-expired", "--site", "hospital-a", "--by", "records.officer");
    assertThat(real.exitCode()).as(real.output()).isZero();
    assertThat(real.output()).contains("deleted: study " + EXPIRED).contains("1 deleted");

    // gone at the node: index, Blob; audited there
    assertThat(nodeCount("select count(*) from instance where study_instance_uid = ?", EXPIRED))
        .isZero();
    assertThat(blobExists(blobOfExpired)).isFalse();
    assertThat(
            nodeCount(
                "select count(*) from node_audit_record where event = 'delete' and study_uid = ?"
                    + " and subject = 'records.officer'",
                EXPIRED))
        .isEqualTo(1);

    // the hub no longer lists it, and records the withdrawal and the node's deletion record
    awaitTrue("the hub withdrew " + EXPIRED, () -> search(EXPIRED).getInt("total") == 0);
    assertThat(search(HELD).getInt("total")).isEqualTo(1);
    assertThat(search(INSIDE).getInt("total")).isEqualTo(1);
    assertThat(
            hubCount(
                "select count(*) from audit_record where action = 'delete' and outcome = 'success'"
                    + " and study_uids = ?",
                EXPIRED))
        .isEqualTo(1);
    awaitTrue(
        "the hub has the node's deletion record",
        () ->
            hubCount(
                    "select count(*) from audit_record where action = 'node-delete'"
                        + " and source_site = 'hospital-a' and study_uids = ?",
                    EXPIRED)
                == 1);
    // the held and the retained studies are still served by the node, held is counted
    assertThat(nodeCount("select count(*) from study where study_instance_uid = ?", HELD))
        .isEqualTo(1);
    awaitTrue(
        "the held gauge counts the hold",
        () -> metrics().contains("ponte_node_retention_held_studies 1.0"));
  }

  private static PonteProcess.Builder.Run command(String... args) {
    return nodeConfig.run(COMMAND, args);
  }

  private static void stow(String study, String studyDate, String location) throws Exception {
    String series = study + ".1";
    String sop = study + ".1.1";
    Path file = DicomTestFiles.ct(FILES, study, series, sop, 512, 1);
    DicomTestFiles.run(
        "dcmodify",
        "-nb",
        "-i",
        "(0008,0020)=" + studyDate,
        "-i",
        "(0038,0300)=" + location,
        "-m",
        "(0010,0020)=RET-" + RUN,
        file.toString());
    DicomTestFiles.Multipart body = DicomTestFiles.multipartOfFiles(List.of(file));
    given()
        .baseUri(node.baseUrl())
        .auth()
        .oauth2(Tokens.client("hospital-a-ingest"))
        .contentType(body.contentType())
        .body(body.body())
        .post("/dicomweb/studies")
        .then()
        .statusCode(200);
    Files.deleteIfExists(file);
  }

  private static JsonPath search(String study) {
    return given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("identifier", "urn:dicom:uid|urn:oid:" + study)
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static String metrics() {
    return given().baseUri(node.baseUrl()).get("/q/metrics").then().extract().asString();
  }

  private static boolean blobExists(String name) {
    BlobContainerClient container =
        new BlobServiceClientBuilder()
            .connectionString(NodeStorageConfig.AZURITE)
            .buildClient()
            .getBlobContainerClient(CONTAINER);
    return container.getBlobClient(name).exists();
  }

  private static int nodeCount(String sql, String param) {
    return Integer.parseInt(query(NODE_DB, sql, param));
  }

  private static String nodeString(String sql, String param) {
    return query(NODE_DB, sql, param);
  }

  private static int hubCount(String sql, String param) {
    return Integer.parseInt(query(HUB_DB, sql, param));
  }

  private static String query(String db, String sql, String param) {
    try (Connection c = TestDatabases.asOwner(db);
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, param);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitTrue(String what, Supplier<Boolean> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return;
      }
      Thread.sleep(500);
    }
    List<String> logs = new ArrayList<>(List.of("node log " + node.log(), "hub log " + hub.log()));
    throw new AssertionError("timed out: " + what + " (" + logs + ")");
  }
}
