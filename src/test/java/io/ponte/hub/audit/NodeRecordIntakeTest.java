package io.ponte.hub.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import ca.uhn.fhir.context.FhirContext;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * A node's audit records at the hub: its service account posts them, they are appended to the chain
 * once (a re-send adds nothing), with the node as their source, and found by the request id they
 * share with the hub's own record. Anyone else is refused, nothing appended.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class NodeRecordIntakeTest {

  private static final String PATH = "/api/audit/node-records";

  @Inject AuditVerification chain;

  static Map<String, Object> retrieve(String id, String requestId, String study) {
    return Map.ofEntries(
        Map.entry("recordId", id),
        Map.entry("occurredAt", Instant.now().toString()),
        Map.entry("event", "retrieve"),
        Map.entry("protocol", "WADO-RS"),
        Map.entry("outcome", "success"),
        Map.entry("status", 200),
        Map.entry("peerAddress", "10.0.0.7"),
        Map.entry("subject", "service-account-ponte-hub"),
        Map.entry("clientId", "ponte-hub"),
        Map.entry("requestId", requestId),
        Map.entry("studyUid", study),
        Map.entry("patientId", "MRN-1"),
        Map.entry("instances", 3));
  }

  static Map<String, Object> dimse(String id, String study) {
    return Map.of(
        "recordId",
        id,
        "occurredAt",
        Instant.now().toString(),
        "event",
        "ingest",
        "protocol",
        "DIMSE",
        "outcome",
        "success",
        "peerAe",
        "MR_SCANNER",
        "peerAddress",
        "10.0.0.9",
        "studyUid",
        study,
        "instances",
        12,
        "failed",
        0);
  }

  @Test
  void aNodesRecordsAreAppendedOnceWithTheNodeAsSourceAndFoundByRequestId() throws Exception {
    String requestId = "req-" + UUID.randomUUID();
    String study =
        "1.2.826.0.1.3680043.10.1." + Math.abs(UUID.randomUUID().getLeastSignificantBits());
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    Map<String, Object> batch =
        Map.of("records", List.of(retrieve(a, requestId, study), dimse(b, study)));

    post(Tokens.client("ponte-node-hospital-a"), batch)
        .then()
        .statusCode(200)
        .body("appended", equalTo(2))
        .body("duplicates", equalTo(0));
    post(Tokens.client("ponte-node-hospital-a"), batch)
        .then()
        .statusCode(200)
        .body("appended", equalTo(0))
        .body("duplicates", equalTo(2));
    assertThat(rows("source_record_id in ('" + a + "', '" + b + "')")).isEqualTo(2);
    assertThat(chain.verifyAll().intact()).isTrue();

    String json =
        given()
            .auth()
            .oauth2(Tokens.user("rita.authority"))
            .get("/fhir/AuditEvent?entity=" + requestId)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    Bundle bundle = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, json);
    assertThat(bundle.getEntry()).hasSize(1);
    AuditEvent e = (AuditEvent) bundle.getEntryFirstRep().getResource();
    assertThat(e.getType().getCode()).isEqualTo("110104");
    assertThat(e.getSource().getSite()).isEqualTo("hospital-a");
    assertThat(e.getSource().getObserver().getIdentifier().getValue()).isEqualTo("hospital-a");
    assertThat(e.getAgent())
        .anySatisfy(
            ag -> {
              assertThat(ag.getRequestor()).isTrue();
              assertThat(ag.getWho().getIdentifier().getValue()).isEqualTo("ponte-hub");
              assertThat(ag.getNetwork().getAddress()).isEqualTo("10.0.0.7");
            });
    assertThat(e.getEntity())
        .anySatisfy(en -> assertThat(en.getWhat().getIdentifier().getValue()).isEqualTo(requestId))
        .anySatisfy(
            en -> assertThat(en.getWhat().getIdentifier().getValue()).isEqualTo("urn:oid:" + study))
        .anySatisfy(
            en ->
                assertThat(en.getWhat().getIdentifier().getSystem())
                    .isEqualTo("urn:ponte:site:hospital-a:mrn"));

    String dimseJson =
        given()
            .auth()
            .oauth2(Tokens.user("rita.authority"))
            .get("/fhir/AuditEvent?site=hospital-a&agent=MR_SCANNER&entity=" + study)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    Bundle dimse = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, dimseJson);
    assertThat(dimse.getEntry()).hasSize(1);
    AuditEvent ingest = (AuditEvent) dimse.getEntryFirstRep().getResource();
    assertThat(ingest.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
    assertThat(ingest.getAgent())
        .anySatisfy(ag -> assertThat(ag.getAltId()).isEqualTo("MR_SCANNER"));
  }

  @Test
  void aClinicianIsRefused403AndNoTokenIs401AndNothingIsAppended() throws Exception {
    String id = UUID.randomUUID().toString();
    Map<String, Object> batch = Map.of("records", List.of(dimse(id, "1.2.3.4")));
    post(Tokens.user("ana.clinic"), batch).then().statusCode(403);
    given().contentType("application/json").body(batch).post(PATH).then().statusCode(401);
    // Not even the authority may write audit records.
    post(Tokens.user("rita.authority"), batch).then().statusCode(403);
    assertThat(rows("source_record_id = '" + id + "'")).isZero();
  }

  @Test
  void aBatchWithAnInvalidRecordIsRefusedWhole() throws Exception {
    String good = UUID.randomUUID().toString();
    Map<String, Object> bad = new java.util.HashMap<>(dimse(UUID.randomUUID().toString(), "1.2.3"));
    bad.put("studyUid", "../../etc");
    post(
            Tokens.client("ponte-node-hospital-a"),
            Map.of("records", List.of(dimse(good, "1.2.3"), bad)))
        .then()
        .statusCode(400)
        .body("detail", org.hamcrest.Matchers.containsString("record 1"));
    assertThat(rows("source_record_id = '" + good + "'")).isZero();
  }

  private static io.restassured.response.Response post(String token, Object body) {
    return given().auth().oauth2(token).contentType("application/json").body(body).post(PATH);
  }

  private static long rows(String where) throws SQLException {
    try (Connection c = TestDatabases.asOwner("ponte_hub_test");
        PreparedStatement q =
            c.prepareStatement("select count(*) from audit_record where " + where);
        ResultSet rs = q.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
