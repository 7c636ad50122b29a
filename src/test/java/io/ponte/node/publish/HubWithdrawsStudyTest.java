package io.ponte.node.publish;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.ponte.fhir.FhirContextProducer;
import io.ponte.hub.fhir.FhirValidation;
import io.ponte.node.index.StudySnapshot;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node withdraws a study it deleted after its retention ended (the real hub registry, real
 * tokens): the hub's conditional DELETE removes it so FHIR no longer lists it, audits it as a
 * delete, answers 204 again for a re-send, and refuses another site's node, a clinician and a
 * caller without a token, leaving the study in place.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class HubWithdrawsStudyTest {

  static final String CT = "1.2.840.10008.5.1.4.1.1.2";

  @Inject HubClient hubClient;

  @TestHTTPResource("/")
  URL hub;

  @Inject FhirValidation validation;

  @Inject
  @DataSource("hub")
  AgroalDataSource hubDb;

  @BeforeEach
  void hubValidatorIsWarm() {
    validation.warm();
  }

  final ImagingStudyBuilder builder =
      new ImagingStudyBuilder(
          "hospital-a",
          ImagingStudyBuilder.defaultPatientIdentifierSystem("hospital-a"),
          ZoneId.of("Europe/Lisbon"));

  @Test
  void theOwningNodeWithdrawsItsStudyAndTheHubNoLongerListsIt() throws Exception {
    String uid = published();
    String token = Tokens.client("ponte-node-hospital-a");

    Delivery withdrawn = hubClient.delete(hub.toString(), uid, token);
    assertThat(withdrawn.status()).as(withdrawn.detail()).isEqualTo(204);
    assertThat(search(uid).getInt("total")).isZero();
    assertThat(audited(uid, "delete", "success")).isEqualTo(1);

    // a re-sent withdrawal (the node crashed before marking it sent) is harmless
    assertThat(hubClient.delete(hub.toString(), uid, token).status()).isEqualTo(204);
  }

  @Test
  void anotherSitesNodeCannotWithdrawTheStudy() throws Exception {
    String uid = published();
    Delivery refused =
        hubClient.delete(hub.toString(), uid, Tokens.client("ponte-node-hospital-b"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.kind()).isEqualTo(Delivery.Kind.REJECTED);
    assertThat(refused.detail()).contains("another site");
    assertThat(search(uid).getInt("total")).isEqualTo(1);
    assertThat(audited(uid, "delete", "denied")).isEqualTo(1);
  }

  @Test
  void aClinicianOrACallerWithoutATokenCannotWithdraw() throws Exception {
    String uid = published();
    assertThat(hubClient.delete(hub.toString(), uid, Tokens.user("ana.clinic")).status())
        .isEqualTo(403);
    assertThat(hubClient.delete(hub.toString(), uid, null).status()).isEqualTo(401);
    assertThat(search(uid).getInt("total")).isEqualTo(1);
  }

  @Test
  void aWithdrawalWithoutAValidCriterionIsABadRequest() {
    given()
        .auth()
        .oauth2(Tokens.client("ponte-node-hospital-a"))
        .queryParam("identifier", "urn:dicom:uid|not-an-oid")
        .delete("/fhir/ImagingStudy")
        .then()
        .statusCode(400);
  }

  private String published() throws Exception {
    String uid = DicomTestFiles.newUid();
    Delivery put =
        hubClient.put(hub.toString(), uid, payload(uid, 1), Tokens.client("ponte-node-hospital-a"));
    assertThat(put.status()).as(put.detail()).isEqualTo(201);
    assertThat(search(uid).getInt("total")).isEqualTo(1);
    return uid;
  }

  private int audited(String uid, String action, String outcome) throws Exception {
    try (Connection c = hubDb.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "select count(*) from audit_record where action = ? and outcome = ?"
                    + " and study_uids = ?")) {
      st.setString(1, action);
      st.setString(2, outcome);
      st.setString(3, uid);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private String payload(String uid, int instances) throws UnpublishableStudyException {
    return payload(builder, uid, instances);
  }

  private String payload(ImagingStudyBuilder builder, String uid, int instances)
      throws UnpublishableStudyException {
    List<StudySnapshot.Instance> list = new ArrayList<>();
    for (int i = 1; i <= instances; i++) {
      list.add(new StudySnapshot.Instance(uid + ".1." + i, CT, i));
    }
    StudySnapshot snapshot =
        new StudySnapshot(
            uid,
            "MRN-" + uid.hashCode(),
            "HOSPA",
            "Doe^Jane",
            "19700215",
            "F",
            "20240305",
            "101500",
            "ACC-1",
            null,
            "CT chest",
            null,
            Instant.now(),
            List.of(new StudySnapshot.Series(uid + ".1", "CT", 1, "axial", list)));
    return FhirContextProducer.r4().newJsonParser().encodeResourceToString(builder.build(snapshot));
  }

  private static JsonPath search(String uid) {
    return given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("identifier", "urn:dicom:uid|urn:oid:" + uid)
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
