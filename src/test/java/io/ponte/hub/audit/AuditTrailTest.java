package io.ponte.hub.audit;

import static io.ponte.testing.HubFhir.published;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.ponte.hub.fhir.FhirValidation;
import io.ponte.testing.AuditRows;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every access and refusal leaves one hash-chained audit row; tampering shows; no audit, no access.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class AuditTrailTest {

  static final String NODE_A = "ponte-node-hospital-a";

  @Inject AuditVerification chain;

  @Inject FhirValidation validation;

  @Inject
  @io.quarkus.agroal.DataSource("hub")
  io.agroal.api.AgroalDataSource appDs;

  @BeforeEach
  void warmValidator() {
    validation.warm();
  }

  @Test
  void publishReadAndSearchEachWriteOneAuditRowWithWhoWhatAndWhy() throws SQLException {
    var study = FhirStudies.study("hospital-a", FhirStudies.mrn());
    long before = AuditRows.maxSeq();
    String id = published(NODE_A, study);
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .header(Actors.PURPOSE_HEADER, "emergency")
        .get("/fhir/ImagingStudy/" + id)
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(Tokens.user("bruno.hospa"))
        .get("/fhir/ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + study.uidValue())
        .then()
        .statusCode(200);
    var rows = AuditRows.after(before);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0))
        .containsEntry("action", "update")
        .containsEntry("outcome", "success")
        .containsEntry("client_id", NODE_A)
        .containsEntry("site", "hospital-a")
        .containsEntry("study_uids", study.uidValue())
        .containsEntry("purpose", "treatment");
    assertThat(rows.get(0).get("patient_identifiers")).contains("urn:ponte:site:hospital-a:mrn|");
    assertThat(rows.get(1))
        .containsEntry("action", "read")
        .containsEntry("username", "ana.clinic")
        .containsEntry("organization", "clinic-norte")
        .containsEntry("purpose", "emergency")
        .containsEntry("study_uids", study.uidValue())
        .containsEntry("roles", "clinician");
    assertThat(rows.get(1).get("client_address")).isNotBlank();
    assertThat(rows.get(1).get("patient_ids")).isNotBlank();
    assertThat(rows.get(2))
        .containsEntry("action", "search")
        .containsEntry("username", "bruno.hospa")
        .containsEntry("study_uids", study.uidValue());
    assertThat(rows.get(2).get("query"))
        .contains("identifier=urn:dicom:uid|urn:oid:" + study.uidValue());
    assertThat(chain.verifyAll().intact()).isTrue();
  }

  @Test
  void refusalsAreAuditedToo() throws SQLException {
    long before = AuditRows.maxSeq();
    given().auth().oauth2(Tokens.client(NODE_A)).get("/fhir/ImagingStudy").then().statusCode(403);
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .get("/fhir/ImagingStudy/x")
        .then()
        .statusCode(403);
    HubFhir.publish("ponte-node-hospital-b", FhirStudies.study("hospital-a", FhirStudies.mrn()))
        .then()
        .statusCode(403);
    var rows = AuditRows.after(before);
    assertThat(rows).hasSize(3);
    assertThat(rows).allSatisfy(r -> assertThat(r).containsEntry("outcome", "denied"));
    assertThat(rows.get(0))
        .containsEntry("action", "search")
        .containsEntry("error_code", "ponte:forbidden")
        .containsEntry("client_id", NODE_A);
    assertThat(rows.get(1))
        .containsEntry("action", "read")
        .containsEntry("username", "rita.authority");
    assertThat(rows.get(2))
        .containsEntry("error_code", "ponte:wrong-site")
        .containsEntry("site", "hospital-b");
  }

  @Test
  void unknownPurposeOfUseIsRefused() {
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam(Actors.PURPOSE_PARAM, "curiosity")
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(400)
        .body("resourceType", equalTo("OperationOutcome"));
  }

  @Test
  void chainVerifiesAndATamperedRowIsDetected() throws SQLException {
    published(NODE_A, FhirStudies.study("hospital-a", FhirStudies.mrn()));
    assertThat(chain.verifyAll().intact()).isTrue();
    long target = AuditRows.maxSeq();
    String original;
    try (Connection c = TestDatabases.asOwner("ponte_hub_test");
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("select username from audit_record where seq = " + target)) {
        rs.next();
        original = rs.getString(1);
      }
      // Someone with superuser rights goes around the append-only trigger.
      s.execute("alter table audit_record disable trigger audit_record_no_update");
      try {
        s.executeUpdate("update audit_record set username = 'mallory' where seq = " + target);
        ChainVerifier.Verification broken = chain.verifyAll();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.firstBrokenSeq()).isEqualTo(target);
      } finally {
        try (PreparedStatement restore =
            c.prepareStatement("update audit_record set username = ? where seq = ?")) {
          restore.setString(1, original);
          restore.setLong(2, target);
          restore.executeUpdate();
        }
        s.execute("alter table audit_record enable trigger audit_record_no_update");
      }
    }
    assertThat(chain.verifyAll().intact()).isTrue();
  }

  @Test
  void theTableRefusesUpdatesAndDeletes() throws SQLException {
    published(NODE_A, FhirStudies.study("hospital-a", FhirStudies.mrn()));
    try (Connection c = TestDatabases.asOwner("ponte_hub_test");
        Statement s = c.createStatement()) {
      // The latest row: earlier ones may have been purged by AuditPurgeTest.
      String last = " where seq = (select max(seq) from audit_record)";
      assertThatThrownBy(() -> s.executeUpdate("update audit_record set username = 'x'" + last))
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> s.executeUpdate("delete from audit_record" + last))
          .hasMessageContaining("append-only");
    }
  }

  @Test
  void theApplicationsRoleMayOnlyInsertAndSelectAuditRows() throws SQLException {
    published(NODE_A, FhirStudies.study("hospital-a", FhirStudies.mrn()));
    try (Connection c = appDs.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select current_user")) {
      rs.next();
      assertThat(rs.getString(1)).as("the hub does not run as the owner").isEqualTo("ponte_app");
    }
    try (Connection c =
            DriverManager.getConnection(
                TestDatabases.url("ponte_hub_test"), TestDatabases.APP_ROLE, "");
        Statement s = c.createStatement()) {
      // Refused by grants: the message is PostgreSQL's, not the trigger's "append-only".
      assertThatThrownBy(() -> s.executeUpdate("update audit_record set username = 'x'"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.executeUpdate("delete from audit_record"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("truncate audit_record"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("alter table audit_record disable trigger all"))
          .hasMessageContaining("must be owner");
      try (ResultSet rs = s.executeQuery("select count(*) from audit_record")) {
        rs.next();
        assertThat(rs.getLong(1)).isPositive();
      }
    }
  }

  @Test
  void accessFailsClosedWhenTheAuditCannotBeWritten() throws SQLException {
    var study = FhirStudies.study("hospital-a", FhirStudies.mrn());
    try (Connection c = TestDatabases.asOwner("ponte_hub_test");
        Statement s = c.createStatement()) {
      s.execute("alter table audit_record rename to audit_record_offline");
      try {
        HubFhir.publish(NODE_A, study)
            .then()
            .statusCode(503)
            .body("resourceType", equalTo("OperationOutcome"))
            .body("issue[0].details.coding[0].code", equalTo("ponte:audit-unavailable"));
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .get("/fhir/ImagingStudy")
            .then()
            .statusCode(503)
            .body("issue[0].details.coding[0].code", equalTo("ponte:audit-unavailable"));
      } finally {
        s.execute("alter table audit_record_offline rename to audit_record");
      }
      try (ResultSet rs =
          s.executeQuery(
              "select count(*) from imaging_study where study_instance_uid = '"
                  + study.uidValue()
                  + "'")) {
        rs.next();
        assertThat(rs.getLong(1)).as("nothing stored without its audit row").isZero();
      }
    }
    assertThat(chain.verifyAll().intact()).isTrue();
  }
}
