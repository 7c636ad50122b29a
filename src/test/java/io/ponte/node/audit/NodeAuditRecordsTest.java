package io.ponte.node.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.ponte.node.ingest.DimseListener;
import io.ponte.node.publish.PublisherTestProfile;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The node records what it receives and serves, one row per association/request (not per instance),
 * each with an outbox entry for the hub: a C-STORE association of storescu (dcmtk) and WADO-RS
 * retrieves of the hub, granted and refused, with the hub's request id. The hub is down in this
 * profile, so the entries stay pending.
 */
@QuarkusTest
@TestProfile(PublisherTestProfile.class)
class NodeAuditRecordsTest {

  @Inject DimseListener listener;

  @Inject NodeAuditLog log;

  @Inject
  @DataSource("node")
  AgroalDataSource ds;

  @Test
  void aDimseAssociationAndTheHubsRetrievesAreRecordedOnceEachWithAnOutboxEntry() throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    Path dir = Paths.get("target", "node-audit-" + UUID.randomUUID());
    Path a = DicomTestFiles.ct(dir, study, series, DicomTestFiles.newUid(), 512, 1);
    Path b = DicomTestFiles.ct(dir, study, series, DicomTestFiles.newUid(), 512, 2);
    String ae = "AUDIT" + Long.toString(System.nanoTime() % 100_000_000L, 36).toUpperCase();
    ProcessBuilder pb =
        new ProcessBuilder(
                "storescu",
                "-aet",
                ae,
                "-aec",
                "PONTE",
                "127.0.0.1",
                Integer.toString(listener.port()),
                a.toString(),
                b.toString())
            .redirectErrorStream(true);
    pb.environment().put("TCP_NODELAY", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();

    Map<String, Object> ingest = awaitRow("peer_ae = ?", ae);
    assertThat(ingest)
        .containsEntry("event", "ingest")
        .containsEntry("protocol", "DIMSE")
        .containsEntry("outcome", "success")
        .containsEntry("study_uid", study)
        .containsEntry("instances", 2)
        .containsEntry("failed", 0)
        .containsEntry("peer_address", "127.0.0.1");
    assertThat(ingest.get("patient_id")).isEqualTo(patientOf(study)).isNotNull();
    assertThat(count("select count(*) from node_audit_record where peer_ae = ?", ae))
        .as("one row per association and study, not per instance")
        .isEqualTo(1);
    assertThat(outboxEntries(ingest.get("record_id"))).isEqualTo(1);

    String requestId = "audit-" + UUID.randomUUID();
    given()
        .auth()
        .oauth2(Tokens.client("ponte-hub"))
        .header("X-Request-Id", requestId)
        .accept("multipart/related; type=\"application/dicom\"; transfer-syntax=*")
        .get("/dicomweb/studies/" + study)
        .then()
        .statusCode(200);
    Map<String, Object> retrieve = awaitRow("request_id = ?", requestId);
    assertThat(retrieve)
        .containsEntry("event", "retrieve")
        .containsEntry("protocol", "WADO-RS")
        .containsEntry("outcome", "success")
        .containsEntry("status", 200)
        .containsEntry("client_id", "ponte-hub")
        .containsEntry("study_uid", study)
        .containsEntry("instances", 2);
    assertThat(retrieve.get("patient_id")).isEqualTo(patientOf(study));
    assertThat(outboxEntries(retrieve.get("record_id"))).isEqualTo(1);

    String refusedId = "audit-" + UUID.randomUUID();
    given()
        .header("X-Request-Id", refusedId)
        .get("/dicomweb/studies/" + study)
        .then()
        .statusCode(401);
    assertThat(awaitRow("request_id = ?", refusedId))
        .containsEntry("event", "retrieve")
        .containsEntry("outcome", "denied")
        .containsEntry("status", 401)
        .containsEntry("study_uid", study);

    String queryId = "audit-" + UUID.randomUUID();
    given()
        .auth()
        .oauth2(Tokens.client("ponte-hub"))
        .header("X-Request-Id", queryId)
        .get("/dicomweb/studies?StudyInstanceUID=" + study)
        .then()
        .statusCode(200);
    Map<String, Object> query = awaitRow("request_id = ?", queryId);
    assertThat(query)
        .containsEntry("event", "query")
        .containsEntry("protocol", "QIDO-RS")
        .containsEntry("outcome", "success");
    assertThat((String) query.get("detail")).contains("StudyInstanceUID=" + study);
  }

  @Test
  void aStowRsRequestIsOneRecordPerStudyStoredAndOneForItsRefusedParts() throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    Path dir = Paths.get("target", "node-audit-" + UUID.randomUUID());
    Path a = DicomTestFiles.ct(dir, study, series, DicomTestFiles.newUid(), 512, 3);
    Path b = DicomTestFiles.ct(dir, study, series, DicomTestFiles.newUid(), 512, 4);
    java.util.List<byte[]> parts =
        java.util.List.of(
            java.nio.file.Files.readAllBytes(a),
            java.nio.file.Files.readAllBytes(b),
            "not dicom".getBytes());
    DicomTestFiles.Multipart body = DicomTestFiles.multipart(parts);
    String requestId = "stow-" + UUID.randomUUID();
    given()
        .auth()
        .oauth2(Tokens.client("hospital-a-ingest"))
        .header("X-Request-Id", requestId)
        .contentType(body.contentType())
        .body(body.body())
        .post("/dicomweb/studies")
        .then()
        .statusCode(202);
    Map<String, Object> stored = awaitRow("request_id = ? and outcome = 'success'", requestId);
    assertThat(stored)
        .containsEntry("event", "ingest")
        .containsEntry("protocol", "STOW-RS")
        .containsEntry("status", 202)
        .containsEntry("client_id", "hospital-a-ingest")
        .containsEntry("caller_site", "hospital-a")
        .containsEntry("study_uid", study)
        .containsEntry("instances", 2);
    assertThat(awaitRow("request_id = ? and outcome = 'invalid'", requestId))
        .containsEntry("failed", 1);
    assertThat(count("select count(*) from node_audit_record where request_id = ?", requestId))
        .isEqualTo(2);
  }

  /** The row matching {@code where}, once the writer (and the request's end) has written it. */
  private Map<String, Object> awaitRow(String where, String value) throws Exception {
    for (int i = 0; i < 100; i++) {
      log.flush();
      try (Connection c = ds.getConnection();
          PreparedStatement q =
              c.prepareStatement("select * from node_audit_record where " + where)) {
        q.setString(1, value);
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            Map<String, Object> row = new HashMap<>();
            ResultSetMetaData md = rs.getMetaData();
            for (int col = 1; col <= md.getColumnCount(); col++) {
              row.put(md.getColumnName(col), rs.getObject(col));
            }
            return row;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no node audit record where " + where + " " + value);
  }

  private String patientOf(String study) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement q =
            c.prepareStatement("select patient_id from study where study_instance_uid = ?")) {
      q.setString(1, study);
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  private long outboxEntries(Object recordId) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement q =
            c.prepareStatement("select count(*) from node_audit_outbox where record_id = ?")) {
      q.setObject(1, recordId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long count(String sql, String value) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement q = c.prepareStatement(sql)) {
      q.setString(1, value);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
