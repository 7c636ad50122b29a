package io.ponte.node.publish;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TcpForwarder;
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
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real hub and a real node of hospital-a (the packaged jar, two JVMs), real Keycloak tokens: a
 * study sent to the node by STOW-RS reaches the hub's registry once it is quiet; while the hub is
 * stopped the node keeps it and retries, and after the hub is back it is delivered exactly once; a
 * later instance updates the hub's resource. The node reaches the hub through a loopback forwarder
 * on a fixed port, because a restarted hub listens on a new port; closing the forwarder and
 * stopping the hub is the outage.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishToHubIT {

  static final String HUB_DB = "ponte_hub_publish_it";
  static final String NODE_DB = "ponte_node_publish_it";
  static final Duration PATIENCE = Duration.ofSeconds(90);
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final Path FILES = Paths.get("target", "it-files-publish-" + RUN);

  static PonteProcess hub;
  static PonteProcess node;
  static TcpForwarder toHub;
  static int hubPort = FreePorts.next();

  static final String STUDY_1 = DicomTestFiles.newUid();
  static final String STUDY_2 = DicomTestFiles.newUid();

  @BeforeAll
  static void start() throws Exception {
    hub = PonteProcess.hub(HUB_DB).start();
    toHub = new TcpForwarder(hubPort, "127.0.0.1", hub.port());
    toHub.start();
    node =
        PonteProcess.node("hospital-a", NODE_DB)
            .env("PONTE_HUB_URL", "http://127.0.0.1:" + hubPort)
            .env(
                "PONTE_NODE_CACHE_DIR",
                Paths.get("target", "it-cache-publish-" + RUN).toAbsolutePath().toString())
            .property("ponte.node.storage.blob-container", "ponte-it-publish-" + RUN)
            .property("ponte.node.publish.quiet-period", "2s")
            .property("ponte.node.publish.poll-interval", "1s")
            .property("ponte.node.publish.retry.initial", "500ms")
            .property("ponte.node.publish.retry.max", "2s")
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (toHub != null) {
      toHub.close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  @Order(1)
  void aStudyStoredAtTheNodeIsInTheHubRegistryOnceQuiet() throws Exception {
    stow(STUDY_1, STUDY_1 + ".1", STUDY_1 + ".1.1", 1);

    JsonPath found = awaitHub(STUDY_1, bundle -> bundle.getInt("total") == 1);
    assertThat(
            found.getString(
                "entry[0].resource.identifier.find { it.system == 'urn:dicom:uid' }.value"))
        .isEqualTo("urn:oid:" + STUDY_1);
    assertThat(found.getInt("entry[0].resource.numberOfInstances")).isEqualTo(1);
    assertThat(found.getString("entry[0].resource.meta.versionId")).isEqualTo("1");
    assertThat(found.getString("entry[0].resource.subject.identifier.system"))
        .isEqualTo("urn:ponte:site:hospital-a:mrn");
    // the hub points the study at its own DICOMweb, never at the node
    assertThat(found.prettify()).doesNotContain(node.baseUrl());
    assertThat(outboxSentAt(STUDY_1)).isTrue();
  }

  @Test
  @Order(2)
  void aStudyStoredWhileTheHubIsDownIsKeptRetriedAndDeliveredExactlyOnce() throws Exception {
    toHub.close();
    hub.close();

    stow(STUDY_2, STUDY_2 + ".1", STUDY_2 + ".1.1", 1);
    stow(STUDY_2, STUDY_2 + ".1", STUDY_2 + ".1.2", 2);
    awaitTrue("the node retries while the hub is down", () -> outboxAttempts(STUDY_2) >= 3);
    assertThat(outboxSentAt(STUDY_2)).isFalse();
    // the node keeps ingesting: readiness UP, with the backlog reported
    given()
        .baseUri(node.baseUrl())
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.find { it.name == 'ponte-publisher' }.data.backlog", greaterThanOrEqualTo(1));

    hub = PonteProcess.hub(HUB_DB).start();
    toHub = new TcpForwarder(hubPort, "127.0.0.1", hub.port());
    toHub.start();

    JsonPath found = awaitHub(STUDY_2, bundle -> bundle.getInt("total") == 1);
    assertThat(found.getInt("entry[0].resource.numberOfInstances")).isEqualTo(2);
    awaitTrue("the node marks the study sent", () -> outboxSentAt(STUDY_2));
    Thread.sleep(3_000); // a few more sender runs: nothing is sent again
    JsonPath again = search(STUDY_2);
    assertThat(again.getInt("total")).isEqualTo(1);
    assertThat(again.getString("entry[0].resource.meta.versionId")).isEqualTo("1");
    // and the study published before the outage is unchanged by the restart
    assertThat(search(STUDY_1).getString("entry[0].resource.meta.versionId")).isEqualTo("1");
  }

  @Test
  @Order(3)
  void aLaterInstanceOfAPublishedStudyUpdatesTheHubsResource() throws Exception {
    stow(STUDY_1, STUDY_1 + ".2", STUDY_1 + ".2.1", 1);

    JsonPath found =
        awaitHub(
            STUDY_1,
            bundle ->
                bundle.getInt("total") == 1
                    && bundle.getInt("entry[0].resource.numberOfInstances") == 2);
    assertThat(found.getInt("entry[0].resource.numberOfSeries")).isEqualTo(2);
    assertThat(found.getString("entry[0].resource.meta.versionId")).isEqualTo("2");
    String metrics =
        given()
            .baseUri(node.baseUrl())
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(metrics).containsPattern("ponte_publish_published_total(\\{[^}]*\\})? [3-9]");
  }

  private static void stow(String study, String series, String sop, int number) throws Exception {
    Path file = DicomTestFiles.ct(FILES, study, series, sop, 512, number);
    DicomTestFiles.run(
        "dcmodify",
        "-nb",
        "-m",
        "(0010,0020)=IT-" + RUN,
        "-m",
        "(0020,0013)=" + number,
        file.toString());
    stowFile(node.baseUrl(), "hospital-a", file);
  }

  /** STOW-RS of one file to a node as {@code site}'s ingest client; the file is then deleted. */
  static void stowFile(String nodeUrl, String site, Path file) throws Exception {
    DicomTestFiles.Multipart body = DicomTestFiles.multipartOfFiles(List.of(file));
    given()
        .baseUri(nodeUrl)
        .auth()
        .oauth2(Tokens.client(site + "-ingest"))
        .contentType(body.contentType())
        .body(body.body())
        .post("/dicomweb/studies")
        .then()
        .statusCode(200);
    Files.deleteIfExists(file);
  }

  private static JsonPath search(String study) {
    return search(hub.baseUrl(), study);
  }

  /** The hub's FHIR ImagingStudy search for one study UID, as a clinician. */
  static JsonPath search(String hubUrl, String study) {
    return given()
        .baseUri(hubUrl)
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("identifier", "urn:dicom:uid|urn:oid:" + study)
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static JsonPath awaitHub(String study, Predicate<JsonPath> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonPath last = null;
    while (System.nanoTime() < deadline) {
      last = search(study);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "the hub never had study "
            + study
            + " as expected; last search: "
            + (last == null ? "none" : last.prettify())
            + "\nnode log: "
            + node.log());
  }

  private static void awaitTrue(String what, Supplier<Boolean> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("timed out: " + what + " (node log: " + node.log() + ")");
  }

  private static int outboxAttempts(String study) {
    return outbox(study, "attempts", 0);
  }

  private static boolean outboxSentAt(String study) {
    return outbox(study, "(sent_at is not null)::int", 0) == 1;
  }

  private static int outbox(String study, String column, int absent) {
    try (Connection c = TestDatabases.asOwner(NODE_DB);
        PreparedStatement st =
            c.prepareStatement(
                "select " + column + " from publication_outbox where study_instance_uid = ?")) {
      st.setString(1, study);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : absent;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
