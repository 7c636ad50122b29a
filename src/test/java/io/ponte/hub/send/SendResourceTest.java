package io.ponte.hub.send;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/clinician/sends} refusals, in process (no PACS is configured in the test profile;
 * SendToPacsIT sends to real ones): an organisation without a PACS is 409, other roles 403, no
 * token 401, a bad UID 400, someone else's or an unknown job 404; all problem+json.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class SendResourceTest {

  @Test
  void aClinicWithoutAConfiguredPacsIsRefused() {
    String mrn = FhirStudies.mrn();
    FhirStudies.Builder study = FhirStudies.study("hospital-a", mrn);
    HubFhir.published("ponte-node-hospital-a", study);
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .contentType("application/json")
        .body("{\"studyUid\":\"" + study.uidValue() + "\"}")
        .post("/api/clinician/sends")
        .then()
        .statusCode(409)
        .contentType(startsWith("application/problem+json"))
        .body("detail", containsString("no PACS is configured for organisation clinic-norte"));
    // The refused export names the patient whose images it was for: her access log and the
    // authority's AuditEvent search by patient find it (DCM 110106 Export).
    String patient = HubFhir.patientByMrn("hospital-a", mrn).extract().path("entry[0].resource.id");
    given()
        .auth()
        .oauth2(Tokens.user("rita.authority"))
        .queryParam("patient", patient)
        .queryParam("entity", study.uidValue())
        .get("/fhir/AuditEvent")
        .then()
        .statusCode(200)
        .body(containsString("110106"));
  }

  @Test
  void onlyAClinicianMaySend() {
    for (String user : new String[] {"maria.patient", "rita.authority", "ponte.admin"}) {
      given()
          .auth()
          .oauth2(Tokens.user(user))
          .contentType("application/json")
          .body("{\"studyUid\":\"1.2.3\"}")
          .post("/api/clinician/sends")
          .then()
          .statusCode(403)
          .contentType(startsWith("application/problem+json"));
    }
    given()
        .contentType("application/json")
        .body("{\"studyUid\":\"1.2.3\"}")
        .post("/api/clinician/sends")
        .then()
        .statusCode(401);
  }

  @Test
  void aBadUidIsABadRequestAndAnUnknownJobIsNotFound() {
    given()
        .auth()
        .oauth2(Tokens.user("bruno.hospa"))
        .contentType("application/json")
        .body("{\"studyUid\":\"not a uid\"}")
        .post("/api/clinician/sends")
        .then()
        .statusCode(400)
        .contentType(startsWith("application/problem+json"));
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/api/clinician/sends/00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .contentType(startsWith("application/problem+json"));
  }
}
