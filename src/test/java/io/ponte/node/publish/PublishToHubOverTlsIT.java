package io.ponte.node.publish;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TestCertificates;
import io.ponte.testing.TestDatabases;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Node to hub over TLS, with the prod overlay's own files: a real hub serves HTTPS with a
 * certificate made for this run (hub-federation.properties), and real nodes publish to it verifying
 * that certificate through {@code ponte.node.publish.tls-configuration-name} (node-tls.properties).
 * hospital-a reaches the hub as {@code https://127.0.0.1:…}, which the certificate names: its study
 * arrives. hospital-b reaches the same hub as {@code https://localhost:…}, which it does not:
 * nothing is delivered, and the node says why (TLS, not "hub down") in its outbox, its readiness
 * data and its metrics.
 */
class PublishToHubOverTlsIT {

  static final String HUB_DB = "ponte_hub_publish_tls_it";
  static final Duration PATIENCE = Duration.ofSeconds(90);
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final Path DIR = Paths.get("target", "publish-tls-" + RUN).toAbsolutePath();

  static PonteProcess hub;
  static PonteProcess nodeA;
  static PonteProcess nodeB;

  @BeforeAll
  static void start() {
    TestCertificates.Pem hubCertificate = TestCertificates.selfSigned(DIR, "hub");
    TestCertificates.Pem nodeCertificate = TestCertificates.selfSigned(DIR, "node");
    int hubTls = FreePorts.next();
    Path hubConfig =
        TestCertificates.prodTlsProperties(
            "hub-federation.properties",
            DIR.resolve("hub.properties"),
            hubCertificate,
            hubTls,
            nodeCertificate);
    hub =
        PonteProcess.hub(HUB_DB)
            .env("QUARKUS_CONFIG_LOCATIONS", hubConfig.toString())
            // Kept open here (the file closes it) for start()'s readiness wait and the searches.
            .property("quarkus.http.insecure-requests", "enabled")
            .start();
    nodeA = node("hospital-a", "https://127.0.0.1:" + hubTls, hubCertificate, nodeCertificate);
    nodeB = node("hospital-b", "https://localhost:" + hubTls, hubCertificate, nodeCertificate);
  }

  private static PonteProcess node(
      String site, String hubUrl, TestCertificates.Pem hubCa, TestCertificates.Pem own) {
    Path config =
        TestCertificates.prodTlsProperties(
            "node-tls.properties", DIR.resolve(site + ".properties"), own, FreePorts.next(), hubCa);
    return PonteProcess.node(site, nodeDb(site))
        .env("PONTE_HUB_URL", hubUrl)
        .env("QUARKUS_CONFIG_LOCATIONS", config.toString())
        .property("quarkus.http.insecure-requests", "enabled")
        .env("PONTE_NODE_CACHE_DIR", DIR.resolve("cache-" + site).toString())
        .property("ponte.node.storage.blob-container", "ponte-it-tls-" + site + "-" + RUN)
        .property("ponte.node.publish.quiet-period", "1s")
        .property("ponte.node.publish.poll-interval", "1s")
        .property("ponte.node.publish.retry.initial", "500ms")
        .property("ponte.node.publish.retry.max", "2s")
        .start();
  }

  private static String nodeDb(String site) {
    return "ponte_node_publish_tls_" + site.replace('-', '_') + "_it";
  }

  @AfterAll
  static void stop() {
    for (PonteProcess p : new PonteProcess[] {nodeA, nodeB, hub}) {
      if (p != null) {
        p.close();
      }
    }
  }

  @Test
  void aStudyPublishedOverVerifiedTlsArrivesAtTheHub() throws Exception {
    String study = DicomTestFiles.newUid();
    stow(nodeA, "hospital-a", study);

    JsonPath found = awaitHub(study);
    assertThat(
            found.getString(
                "entry[0].resource.identifier.find { it.system == 'urn:dicom:uid' }.value"))
        .isEqualTo("urn:oid:" + study);
    assertThat(found.getString("entry[0].resource.subject.identifier.system"))
        .isEqualTo("urn:ponte:site:hospital-a:mrn");
    awaitTrue(
        "hospital-a marks the study sent",
        nodeA,
        () -> outbox("hospital-a", study, "(sent_at is not null)::int").equals("1"));
  }

  @Test
  void aHubWhoseCertificateDoesNotNameTheUrlsHostGetsNothingAndTheNodeSaysTls() throws Exception {
    String study = DicomTestFiles.newUid();
    stow(nodeB, "hospital-b", study);

    awaitTrue(
        "hospital-b tries, and fails, at least twice",
        nodeB,
        () -> Integer.parseInt(outbox("hospital-b", study, "attempts")) >= 2);
    assertThat(outbox("hospital-b", study, "(sent_at is not null)::int")).isEqualTo("0");
    assertThat(outbox("hospital-b", study, "last_error"))
        .as("the outbox row says why")
        .startsWith("TLS: the hub's certificate was not accepted")
        .contains("https://localhost:");
    assertThat(PublishToHubIT.search(hub.baseUrl(), study).getInt("total"))
        .as("nothing reached the hub")
        .isZero();
    JsonPath ready =
        given()
            .baseUri(nodeB.baseUrl())
            .get("/q/health/ready")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(ready.getString("checks.find { it.name == 'ponte-publisher' }.data.lastFailure"))
        .as("readiness data: a TLS refusal, not 'unavailable'")
        .isEqualTo("tls_refused");
    assertThat(ready.getInt("checks.find { it.name == 'ponte-publisher' }.data.backlog"))
        .isGreaterThanOrEqualTo(1);
    String metrics = given().baseUri(nodeB.baseUrl()).get("/q/metrics").then().extract().asString();
    assertThat(metrics)
        .containsPattern("ponte_publish_failures_total\\{[^}]*reason=\"tls_refused\"");
    assertThat(metrics)
        .doesNotContainPattern("ponte_publish_failures_total\\{[^}]*reason=\"unavailable\"");
    assertThat(nodeB.isAlive()).isTrue();
    assertThat(Files.readString(nodeB.log()))
        .contains("not sent")
        .contains("tls-configuration-name");
  }

  private static void stow(PonteProcess node, String site, String study) throws Exception {
    PublishToHubIT.stowFile(
        node.baseUrl(),
        site,
        DicomTestFiles.ct(DIR.resolve("files"), study, study + ".1", study + ".1.1", 512, 1));
  }

  private static JsonPath awaitHub(String study) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonPath last = null;
    while (System.nanoTime() < deadline) {
      last = PublishToHubIT.search(hub.baseUrl(), study);
      if (last.getInt("total") == 1) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "the hub never had study " + study + "; node log: " + nodeA.log() + ", hub: " + hub.log());
  }

  private static void awaitTrue(String what, PonteProcess node, Supplier<Boolean> condition)
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

  /** One column of the study's publication_outbox row at {@code site}'s node ("" if none). */
  private static String outbox(String site, String study, String column) {
    try (Connection c = TestDatabases.asOwner(nodeDb(site));
        PreparedStatement st =
            c.prepareStatement(
                "select " + column + " from publication_outbox where study_instance_uid = ?")) {
      st.setString(1, study);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? String.valueOf(rs.getString(1)) : "0";
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
