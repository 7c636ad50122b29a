package io.ponte.hub.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The hub's federated DICOMweb: QIDO-RS from the registry, WADO-RS authorisation, audit and failure
 * modes. Bytes from a REAL node through the hub are proven in {@link FederatedRetrieveIT}; here
 * hospital-a's "node" is a fake that streams pseudo-random bytes (for the proxy's plumbing) and
 * hospital-b's node is down.
 */
@QuarkusTest
@TestProfile(FakeNodeProfile.class)
class HubDicomwebTest {

  private static FakeNode node;

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  @io.quarkus.test.common.http.TestHTTPResource("/")
  java.net.URL hub;

  /**
   * The validator loads the R4 core profiles once (slow on a busy machine); not inside a publish's
   * timeout.
   */
  @Inject io.ponte.hub.fhir.FhirValidation validation;

  @Inject io.micrometer.core.instrument.MeterRegistry meters;

  String mrn;
  String accessionOfMine;
  String mine;
  String older;
  String atB;
  String othersStudy;

  @BeforeAll
  static void startFakeNode() throws Exception {
    node = new FakeNode(FakeNodeProfile.FAKE_PORT);
  }

  @AfterAll
  static void stopFakeNode() throws Exception {
    node.close();
  }

  @BeforeEach
  void register() throws Exception {
    validation.warm();
    mrn = FhirStudies.mrn();
    accessionOfMine = "A" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    FhirStudies.Builder a =
        FhirStudies.study("hospital-a", mrn)
            .name("Quintela", "Rosa")
            .started("2025-06-01T09:30:00Z")
            .modalities("CT", "SR")
            .description("CT abdomen")
            .accession(accessionOfMine);
    FhirStudies.Builder b =
        FhirStudies.study("hospital-a", mrn)
            .name("Quintela", "Rosa")
            .started("2023-02-10T14:00:00Z")
            .modalities("MR")
            .description("MR knee");
    String mrnB = FhirStudies.mrn();
    FhirStudies.Builder c =
        FhirStudies.study("hospital-b", mrnB)
            .name("Quintela", "Rosa")
            .started("2024-01-05T08:00:00Z")
            .modalities("US");
    FhirStudies.Builder other =
        FhirStudies.study("hospital-a", FhirStudies.mrn()).name("Other", "Person");
    HubFhir.published("ponte-node-hospital-a", a);
    HubFhir.published("ponte-node-hospital-a", b);
    HubFhir.published("ponte-node-hospital-b", c);
    HubFhir.published("ponte-node-hospital-a", other);
    mine = a.uidValue();
    older = b.uidValue();
    atB = c.uidValue();
    othersStudy = other.uidValue();
    // One person at hospital-a and hospital-b, under a regional id of this test's own.
    link("REG-T" + Long.toString(System.nanoTime(), 36), mrn, mrnB);
  }

  /**
   * Two fresh studies of maria.patient (regional id REG-000001, her token's patient_id), at both
   * sites.
   */
  private List<String> mariasStudies() throws Exception {
    String atA = FhirStudies.mrn();
    String atB2 = FhirStudies.mrn();
    FhirStudies.Builder a = FhirStudies.study("hospital-a", atA).name("Souza", "Maria");
    FhirStudies.Builder b = FhirStudies.study("hospital-b", atB2).name("Souza", "Maria");
    HubFhir.published("ponte-node-hospital-a", a);
    HubFhir.published("ponte-node-hospital-b", b);
    link("REG-000001", atA, atB2);
    return List.of(a.uidValue(), b.uidValue());
  }

  /**
   * Links the hub patients of these MRNs under a regional id, straight in the registry's identity
   * tables.
   */
  private void link(String regionalId, String... mrns) throws Exception {
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into regional_person (regional_id, created_at,"
                  + " updated_at) values (?, now(), now()) on conflict do nothing")) {
        ps.setString(1, regionalId);
        ps.executeUpdate();
      }
      for (String m : mrns) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "insert into identity_link (patient_id, regional_id,"
                    + " method, linked_at, linked_by) select id, ?, 'manual', now(), 'test' from patient"
                    + " where identifier_value = ?")) {
          ps.setString(1, regionalId);
          ps.setString(2, m);
          assertThat(ps.executeUpdate()).isEqualTo(1);
        }
      }
    }
  }

  private static io.restassured.specification.RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user));
  }

  @Nested
  @DisplayName("QIDO-RS from the registry")
  class Qido {

    @Test
    void findsAPersonsStudiesAcrossSitesByAnyLocalPatientId() {
      as("ana.clinic")
          .queryParam("PatientID", mrn)
          .queryParam("includefield", "00081030,00080060")
          .queryParam("limit", "101")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .contentType("application/dicom+json")
          .body("'0020000D'.Value.flatten()", contains(mine, atB, older))
          .body("[0].'00080061'.Value", contains("CT", "SR"))
          .body("[0].'00081030'.Value[0]", equalTo("CT abdomen"))
          .body("[0].'00080020'.Value[0]", equalTo("20250601"))
          .body("[0].'00100010'.Value[0].Alphabetic", equalTo("Quintela^Rosa"))
          .body("[0].'00201206'.Value[0]", equalTo(2))
          .body("[0].'00201208'.Value[0]", equalTo(4))
          .body("[0].'00081190'.Value[0]", equalTo("https://hub.example/dicomweb/studies/" + mine));
    }

    @Test
    void matchesDatesModalitiesAndUids() {
      as("ana.clinic")
          .queryParam("PatientID", mrn)
          .queryParam("StudyDate", "20240101-20251231")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(mine, atB));
      as("ana.clinic")
          .queryParam("PatientID", mrn)
          .queryParam("ModalitiesInStudy", "MR")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(older));
      as("ana.clinic")
          .queryParam("StudyInstanceUID", older + "," + atB)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", hasSize(2));
      as("ana.clinic")
          .queryParam("PatientID", "nobody-" + mrn)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", empty());
    }

    @Test
    void matchesAccessionNumbersAndAnswersThemWithoutReadingTheStoredResource() {
      as("ana.clinic")
          .queryParam("AccessionNumber", accessionOfMine)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("'0020000D'.Value.flatten()", contains(mine))
          .body("[0].'00080050'.Value[0]", equalTo(accessionOfMine))
          .body("[0].'00080061'.Value", contains("CT", "SR"));
      // Only the identifier of type ACSN is the accession number, not the study's UID identifier.
      as("ana.clinic")
          .queryParam("AccessionNumber", "urn:oid:" + mine)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", empty());
    }

    @Test
    void listsSeriesAndInstancesOfAStudyTheWayOhifAsksForThem() {
      Response series = as("ana.clinic").get("/dicomweb/studies/" + mine + "/series");
      series
          .then()
          .statusCode(200)
          .body("$", hasSize(2))
          .body("'00080060'.Value.flatten()", contains("CT", "SR"));
      String seriesUid = series.path("[0].'0020000E'.Value[0]");
      as("ana.clinic")
          .get("/dicomweb/studies/" + mine + "/series/" + seriesUid + "/instances")
          .then()
          .statusCode(200)
          .body("$", hasSize(2))
          .body("[0].'00080016'.Value[0]", equalTo("1.2.840.10008.5.1.4.1.1.2"))
          .body(
              "[0].'00081190'.Value[0]",
              containsString("https://hub.example/dicomweb/studies/" + mine));
      as("ana.clinic")
          .queryParam("Modality", "SR")
          .get("/dicomweb/studies/" + mine + "/series")
          .then()
          .statusCode(200)
          .body("$", hasSize(1));
      as("ana.clinic")
          .get("/dicomweb/studies/" + mine + "/instances")
          .then()
          .statusCode(200)
          .body("$", hasSize(4));
    }

    @Test
    void listsSeriesAndInstancesWithoutAStudyChosenByStudyKeys() {
      as("ana.clinic")
          .queryParam("PatientID", mrn)
          .queryParam("Modality", "CT")
          .get("/dicomweb/series")
          .then()
          .statusCode(200)
          .body("$", hasSize(1))
          .body("[0].'0020000D'.Value[0]", equalTo(mine));
      as("ana.clinic")
          .queryParam("StudyInstanceUID", mine)
          .get("/dicomweb/instances")
          .then()
          .statusCode(200)
          .body("$", hasSize(4));
      as("ana.clinic")
          .queryParam("StudyInstanceUID", mine)
          .queryParam("limit", "3")
          .queryParam("offset", "2")
          .get("/dicomweb/instances")
          .then()
          .statusCode(200)
          .body("$", hasSize(2));
      as("ana.clinic")
          .queryParam("SeriesInstanceUID", "1.2.x")
          .get("/dicomweb/series")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
      as("maria.patient")
          .queryParam("StudyInstanceUID", othersStudy)
          .get("/dicomweb/series")
          .then()
          .statusCode(200)
          .body("$", empty());
    }

    @Test
    void showsAPatientOnlyTheirOwnStudies() throws Exception {
      List<String> hers = mariasStudies();
      as("maria.patient")
          .queryParam("limit", "1000")
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body(
              "'0020000D'.Value.flatten()",
              org.hamcrest.Matchers.hasItems(hers.get(0), hers.get(1)))
          .body(
              "'0020000D'.Value.flatten()",
              org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(mine)))
          .body(
              "'0020000D'.Value.flatten()",
              org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(othersStudy)));
      as("maria.patient")
          .queryParam("StudyInstanceUID", othersStudy)
          .get("/dicomweb/studies")
          .then()
          .statusCode(200)
          .body("$", empty());
      as("maria.patient")
          .get("/dicomweb/studies/" + othersStudy + "/series")
          .then()
          .statusCode(403)
          .contentType("application/problem+json");
    }

    @Test
    void refusesBadParametersWithProblemJson() {
      as("ana.clinic")
          .queryParam("StudyDate", "20251301")
          .get("/dicomweb/studies")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
      as("ana.clinic")
          .queryParam("StudyDate", "20250101-20240101")
          .get("/dicomweb/studies")
          .then()
          .statusCode(400);
      as("ana.clinic")
          .queryParam("StudyInstanceUID", "1.02")
          .get("/dicomweb/studies")
          .then()
          .statusCode(400)
          .body("code", equalTo("ponte:invalid-uid"));
      as("ana.clinic").queryParam("limit", "x").get("/dicomweb/studies").then().statusCode(400);
      as("ana.clinic").get("/dicomweb/studies/1.2.x/series").then().statusCode(400);
      as("ana.clinic")
          .get("/dicomweb/studies/" + FhirStudies.uid() + "/series")
          .then()
          .statusCode(404);
    }

    @Test
    void auditsEachQueryAndEachDenial() throws Exception {
      as("ana.clinic").get("/dicomweb/studies/" + mine + "/series").then().statusCode(200);
      as("rita.authority").get("/dicomweb/studies/" + mine + "/series").then().statusCode(403);
      assertThat(audit(mine)).contains("SEARCH success ana.clinic", "SEARCH denied rita.authority");
    }
  }

  @Nested
  @DisplayName("WADO-RS through the hub")
  class Wado {

    @Test
    void streamsTheOwningNodesAnswerWithTheHubsOwnToken() throws Exception {
      Response r =
          as("ana.clinic")
              .accept("multipart/related; type=\"application/dicom\"")
              .header("Cookie", "viewer=1")
              .header("X-Forwarded-For", "1.2.3.4")
              .get("/dicomweb/studies/" + mine);
      r.then().statusCode(200).contentType(containsString("multipart/related"));
      assertThat(r.header("Set-Cookie")).isNull();
      byte[] body = r.asByteArray();
      assertThat(body).hasSize(3 * 1024 * 1024 + 5);
      assertThat(sha256(body))
          .isEqualTo(expected(3L * 1024 * 1024 + 5, ("/dicomweb/studies/" + mine).hashCode()));
      assertThat(node.lastAuthorization).isNotNull().doesNotContain(Tokens.user("ana.clinic"));
      assertThat(node.lastHeaders).doesNotContain("Cookie", "X-Forwarded-For");
      assertThat(audit(mine)).contains("READ success ana.clinic");
    }

    @Test
    void relaysTheNodesBodyOnTheEventLoopRatherThanCopyingIt() throws Exception {
      double relayed = bodies("relayed");
      double copied = bodies("copied");
      byte[] body =
          as("ana.clinic")
              .accept("multipart/related; type=\"application/dicom\"")
              .get("/dicomweb/studies/" + mine)
              .then()
              .statusCode(200)
              .extract()
              .asByteArray();
      assertThat(body).hasSize(3 * 1024 * 1024 + 5);
      assertThat(bodies("relayed")).isEqualTo(relayed + 1);
      assertThat(bodies("copied")).as("the blocking fallback").isEqualTo(copied);
    }

    private double bodies(String path) {
      return meters.counter("ponte.hub.node.bodies", "path", path).count();
    }

    @Test
    void theNodeContinuesTheCallersTrace() throws Exception {
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      as("ana.clinic")
          .accept("multipart/related; type=\"application/dicom\"")
          .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-00")
          .get("/dicomweb/studies/" + mine)
          .then()
          .statusCode(200);
      // Same trace, the hub's own span as parent (not the caller's span id).
      assertThat(node.lastTraceparent)
          .matches("00-" + traceId + "-[0-9a-f]{16}-0[01]")
          .doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void cutsTheCallersConnectionWhenTheNodeBreaksOffMidway() throws Exception {
      node.study = FakeNode.Study.BREAKS_AFTER_1MB;
      try {
        java.net.http.HttpResponse<java.io.InputStream> r =
            java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            hub.toURI().resolve("/dicomweb/studies/" + mine))
                        .header("Authorization", "Bearer " + Tokens.user("ana.clinic"))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-length"))
            .hasValue(Long.toString(3L * 1024 * 1024 + 5));
        long[] read = {0};
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> {
                  try (java.io.InputStream in = r.body()) {
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                      read[0] += n;
                    }
                  }
                })
            .as("a body cut at the node is an error at the caller, never a clean short answer")
            .isInstanceOf(java.io.IOException.class);
        assertThat(read[0]).isLessThanOrEqualTo(1024 * 1024);
      } finally {
        node.study = FakeNode.Study.WHOLE;
      }
    }

    @Test
    void cutsTheCallerAndTheNodeWhenTheNodeGoesSilentMidway() throws Exception {
      node.study = FakeNode.Study.STALLS_AFTER_1MB;
      int before = node.studiesCutByTheHub.get();
      try (java.net.Socket socket = new java.net.Socket(hub.getHost(), hub.getPort())) {
        // Well past the hub's 5 s read timeout: a socket timeout here means the hub never cut.
        socket.setSoTimeout(30_000);
        java.io.InputStream in = getMyStudyOver(socket);
        assertThat(new String(in.readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII))
            .isEqualTo("HTTP/1.1 200");
        long read = 0;
        byte[] buf = new byte[65536];
        try {
          int n;
          while ((n = in.read(buf)) >= 0) {
            read += n;
          }
        } catch (java.net.SocketTimeoutException e) {
          throw new AssertionError("the hub left the caller waiting on a silent node", e);
        } catch (java.io.IOException e) {
          // reset: also a cut
        }
        assertThat(read)
            .as("the head and the 1 MB sent, never the announced 3 MB")
            .isLessThan(2L * 1024 * 1024);
      } finally {
        node.study = FakeNode.Study.WHOLE;
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(4);
      while (node.studiesCutByTheHub.get() == before && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(node.studiesCutByTheHub.get())
          .as("the node's request was reset")
          .isGreaterThan(before);
    }

    @Test
    void resetsTheNodesRequestWhenTheCallerGoesAway() throws Exception {
      node.study = FakeNode.Study.ENDLESS;
      int before = node.studiesCutByTheHub.get();
      try (java.net.Socket socket = new java.net.Socket(hub.getHost(), hub.getPort())) {
        java.io.InputStream in = getMyStudyOver(socket);
        byte[] head = in.readNBytes(12);
        assertThat(new String(head, java.nio.charset.StandardCharsets.US_ASCII))
            .isEqualTo("HTTP/1.1 200");
        assertThat(in.readNBytes(2 * 1024 * 1024)).hasSize(2 * 1024 * 1024);
      } finally {
        node.study = FakeNode.Study.WHOLE;
      }
      // Less than the hub's 5 s idle timeout, which would also cut the node's request, only later.
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(4);
      while (node.studiesCutByTheHub.get() == before && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(node.studiesCutByTheHub.get())
          .as("the node's request was reset, not read on into the pool")
          .isGreaterThan(before);
    }

    /** Asks for ana.clinic's study over a raw socket, for tests that read or drop the body. */
    private java.io.InputStream getMyStudyOver(java.net.Socket socket) throws java.io.IOException {
      socket
          .getOutputStream()
          .write(
              ("GET /dicomweb/studies/"
                      + mine
                      + " HTTP/1.1\r\nHost: localhost\r\n"
                      + "Authorization: Bearer "
                      + Tokens.user("ana.clinic")
                      + "\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return socket.getInputStream();
    }

    @Test
    void rewritesNodeUrlsInMetadataToTheHub() {
      as("ana.clinic")
          .get("/dicomweb/studies/" + mine + "/metadata")
          .then()
          .statusCode(200)
          .body(
              "[0].'7FE00010'.BulkDataURI",
              equalTo(
                  "https://hub.example/dicomweb/studies/"
                      + mine
                      + "/series/1.2/instances/1.2.3/frames/1"));
    }

    @Test
    void refusesQueriesAndRetrievesWhenTheAuditCannotBeWritten() throws Exception {
      // As the owner: the hub's own role may not alter (or rename) the audit table.
      try (Connection c = TestDatabases.asOwner(ds);
          java.sql.Statement s = c.createStatement()) {
        s.execute("alter table audit_record rename to audit_record_offline");
        try {
          as("ana.clinic")
              .get("/dicomweb/studies?PatientID=" + mrn)
              .then()
              .statusCode(503)
              .body("code", equalTo("ponte:audit-unavailable"));
          as("ana.clinic")
              .get("/dicomweb/studies/" + mine + "/series")
              .then()
              .statusCode(503)
              .body("code", equalTo("ponte:audit-unavailable"));
          // The node has answered by then: its stream is released and nothing reaches the caller.
          as("ana.clinic")
              .accept("multipart/related; type=\"application/dicom\"")
              .get("/dicomweb/studies/" + mine)
              .then()
              .statusCode(503)
              .contentType("application/problem+json")
              .body("code", equalTo("ponte:audit-unavailable"));
        } finally {
          s.execute("alter table audit_record_offline rename to audit_record");
        }
      }
      Response again =
          as("ana.clinic")
              .accept("multipart/related; type=\"application/dicom\"")
              .get("/dicomweb/studies/" + mine);
      again.then().statusCode(200);
      assertThat(again.asByteArray()).hasSize(3 * 1024 * 1024 + 5);
    }

    @Test
    void servesNoByteAndResetsTheNodesAnswerWhenTheAuditFailsWhileTheNodeIsAsked()
        throws Exception {
      // The node is asked while the record commits; a failed commit must leave the caller with
      // the 503 problem only, and the node's answer (endless here) reset unread.
      int before = node.studiesCutByTheHub.get();
      try (Connection c = TestDatabases.asOwner(ds);
          java.sql.Statement s = c.createStatement()) {
        s.execute("alter table audit_record rename to audit_record_offline");
        node.study = FakeNode.Study.ENDLESS;
        try {
          Response r =
              as("ana.clinic")
                  .accept("multipart/related; type=\"application/dicom\"")
                  .get("/dicomweb/studies/" + mine);
          r.then()
              .statusCode(503)
              .contentType("application/problem+json")
              .body("code", equalTo("ponte:audit-unavailable"));
          assertThat(r.asByteArray().length).isLessThan(2048);
        } finally {
          node.study = FakeNode.Study.WHOLE;
          s.execute("alter table audit_record_offline rename to audit_record");
        }
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(4);
      while (node.studiesCutByTheHub.get() == before && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(node.studiesCutByTheHub.get())
          .as("the node's answer was reset unread")
          .isGreaterThan(before);
    }

    @Test
    void recordsANodeFailureWithTheOutcomeTheCallerIsAnswered() throws Exception {
      // Before: a node's 503 became AUDIT_UNAVAILABLE and left no row; a node's 500 was recorded as
      // ponte:internal while the caller got ponte:site-unavailable.
      try {
        node.studyStatus = 503;
        node.studyCode = "ponte:storage-unavailable";
        Response r503 =
            as("ana.clinic")
                .header("X-Request-Id", "wado-503-" + System.nanoTime())
                .get("/dicomweb/studies/" + mine);
        r503.then().statusCode(503).body("code", equalTo("ponte:storage-unavailable"));
        // Recorded as decided while the node was asked, then what the caller got instead.
        assertThat(recordsOf(r503.header("X-Request-Id")))
            .containsExactly(
                List.of("read", "success", "-", "200"),
                List.of("read", "error", "ponte:storage-unavailable", "503"));
        node.studyCode = null;
        node.studyStatus = 500;
        Response r500 =
            as("ana.clinic")
                .header("X-Request-Id", "wado-500-" + System.nanoTime())
                .get("/dicomweb/studies/" + mine);
        r500.then().statusCode(500);
        String answered = r500.jsonPath().getString("code");
        assertThat(recordsOf(r500.header("X-Request-Id")))
            .last()
            .isEqualTo(List.of("read", "error", answered, "500"));
      } finally {
        node.studyStatus = 0;
        node.studyCode = null;
      }
    }

    @Test
    void passesOnThatAStudyIsBeingRestoredWithWhenToRetryAndAuditsItAsDeferred() throws Exception {
      try {
        node.studyStatus = 202;
        node.studyCode = "ponte:being-restored";
        node.studyRetryAfter = "120";
        Response r =
            as("ana.clinic")
                .header("X-Request-Id", "wado-202-" + System.nanoTime())
                .accept("multipart/related; type=\"application/dicom\"")
                .get("/dicomweb/studies/" + mine);
        r.then()
            .statusCode(202)
            .contentType(containsString("application/problem+json"))
            .header("Retry-After", "120")
            .body("code", equalTo("ponte:being-restored"))
            .body("retryAfter", equalTo(120))
            .body("availableAt", equalTo("2030-01-01T00:00:00Z"))
            .body("site", equalTo("hospital-a"));
        // nothing was disclosed yet: neither a success nor the caller's fault (the last record;
        // the first is the access as decided, committed while the node was asked)
        assertThat(recordsOf(r.header("X-Request-Id")))
            .last()
            .isEqualTo(List.of("read", "deferred", "ponte:being-restored", "202"));
      } finally {
        node.studyStatus = 0;
        node.studyCode = null;
        node.studyRetryAfter = null;
      }
    }

    @Test
    void passesTheCallersRequestIdToTheNodeAndRecordsIt() throws Exception {
      String id = "retrieve-" + System.nanoTime();
      as("ana.clinic")
          .header("X-Request-Id", id)
          .get("/dicomweb/studies/" + mine)
          .then()
          .statusCode(200)
          .header("X-Request-Id", id);
      assertThat(node.lastRequestId).isEqualTo(id);
      assertThat(recordOf(id)).containsExactly("read", "success", null, "200");
    }

    @Test
    void replacesAnUnsafeRequestIdAndGeneratesOneWhenMissing() {
      String replaced =
          as("ana.clinic")
              .header("X-Request-Id", "bad id with spaces\tand<tags>")
              .get("/dicomweb/studies?PatientID=" + mrn)
              .then()
              .statusCode(200)
              .extract()
              .header("X-Request-Id");
      assertThat(replaced).matches("[0-9a-f-]{36}");
      String tooLong = "x".repeat(65);
      assertThat(
              as("ana.clinic")
                  .header("X-Request-Id", tooLong)
                  .get("/dicomweb/studies?PatientID=" + mrn)
                  .header("X-Request-Id"))
          .isNotEqualTo(tooLong)
          .hasSize(36);
      // Refusals carry one too.
      assertThat(
              given()
                  .get("/dicomweb/studies")
                  .then()
                  .statusCode(401)
                  .extract()
                  .header("X-Request-Id"))
          .isNotBlank();
    }

    @Test
    void namesTheSiteWhoseNodeIsDownWhileOtherSitesStillServe() {
      as("ana.clinic")
          .get("/dicomweb/studies/" + atB)
          .then()
          .statusCode(503)
          .contentType("application/problem+json")
          .body("code", equalTo("ponte:site-unavailable"))
          .body("site", equalTo("hospital-b"));
      as("ana.clinic").get("/dicomweb/studies/" + mine + "/metadata").then().statusCode(200);
    }

    @Test
    void letsAPatientRetrieveOnlyTheirOwnStudies() throws Exception {
      List<String> hers = mariasStudies();
      as("maria.patient")
          .get("/dicomweb/studies/" + hers.get(0) + "/metadata")
          .then()
          .statusCode(200);
      as("maria.patient").get("/dicomweb/studies/" + mine + "/metadata").then().statusCode(403);
      as("maria.patient")
          .get("/dicomweb/studies/" + othersStudy)
          .then()
          .statusCode(403)
          .contentType("application/problem+json");
    }

    @Test
    void refusesAuthorityAdminAndMachines() throws Exception {
      as("rita.authority").get("/dicomweb/studies/" + mine).then().statusCode(403);
      as("ponte.admin").get("/dicomweb/studies/" + mine).then().statusCode(403);
      given()
          .auth()
          .oauth2(Tokens.client("ponte-node-hospital-a"))
          .get("/dicomweb/studies/" + mine)
          .then()
          .statusCode(403);
      // The hub's own service account token is meant for nodes (aud ponte-node): not signed in
      // here.
      given()
          .auth()
          .oauth2(Tokens.client("ponte-hub"))
          .get("/dicomweb/studies")
          .then()
          .statusCode(401);
      given().get("/dicomweb/studies/" + mine).then().statusCode(401);
      assertThat(audit(mine)).contains("READ denied rita.authority");
    }

    @Test
    void answersNotFoundForAStudyTheRegistryDoesNotKnow() {
      as("ana.clinic")
          .get("/dicomweb/studies/" + FhirStudies.uid())
          .then()
          .statusCode(404)
          .contentType("application/problem+json");
      as("ana.clinic")
          .get("/dicomweb/studies/" + mine + "/series/1.2/instances/x/frames/1")
          .then()
          .statusCode(400);
      as("ana.clinic")
          .get("/dicomweb/studies/" + mine + "/series/1.2/instances/1.3/frames/1;x")
          .then()
          .statusCode(400);
    }
  }

  /** action, outcome, error_code, status of the audit record of one request id. */
  /** Every record of a request, in chain order (a null column as "-"). */
  private List<List<String>> recordsOf(String requestId) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select action, outcome, coalesce(error_code, '-'), status from audit_record"
                    + " where request_id = ? order by seq")) {
      ps.setString(1, requestId);
      List<List<String>> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
      return rows;
    }
  }

  private List<String> recordOf(String requestId) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select action, outcome, error_code, status from audit_record where request_id = ?")) {
      ps.setString(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("an audit record for request " + requestId).isTrue();
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
          row.add(rs.getString(i));
        }
        assertThat(rs.next()).as("one record per request").isFalse();
        return row;
      }
    }
  }

  private List<String> audit(String studyUid) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select action, outcome, username from audit_record where study_uids like ? order by seq")) {
      ps.setString(1, "%" + studyUid + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              rs.getString(1).toUpperCase()
                  + " "
                  + rs.getString(2).toLowerCase()
                  + " "
                  + rs.getString(3));
        }
      }
    }
    return rows;
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static byte[] expected(long size, long seed) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    Random random = new Random(seed);
    long left = size;
    while (left > 0) {
      byte[] chunk = new byte[(int) Math.min(64 * 1024, left)];
      random.nextBytes(chunk);
      d.update(chunk);
      left -= chunk.length;
    }
    return d.digest();
  }
}
