package io.ponte.hub.registry;

import static io.ponte.testing.HubFhir.published;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;

import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SMART Imaging Access (Argonaut) at the hub's FHIR base. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class SmartImagingAccessTest {

  @Test
  void discoveryIsPublicAndAdvertisesSmartImagingAccess() {
    given()
        .get("/fhir/.well-known/smart-configuration")
        .then()
        .statusCode(200)
        .body("capabilities", hasItem("smart-imaging-access"))
        .body("token_endpoint", endsWith("/realms/ponte/protocol/openid-connect/token"))
        .body("authorization_endpoint", endsWith("/protocol/openid-connect/auth"))
        .body("code_challenge_methods_supported", hasItem("S256"));
  }

  @Test
  void aPatientsStudiesComeWithTheirEndpointWhichRequiresTheAccessToken() {
    String mrn = FhirStudies.mrn();
    String studyId = published("ponte-node-hospital-a", FhirStudies.study("hospital-a", mrn));
    String clinician = Tokens.user("ana.clinic");
    String patient = patientOf(clinician, studyId);
    JsonPath bundle =
        given()
            .auth()
            .oauth2(clinician)
            .get("/fhir/ImagingStudy?patient=" + patient + "&_include=ImagingStudy:endpoint")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<Map<String, Object>> included =
        bundle.getList("entry.findAll { it.search.mode == 'include' }.resource");
    assertThat(included).hasSize(1);
    assertThat(included.get(0)).containsEntry("resourceType", "Endpoint");
    assertThat(included.get(0).get("extension").toString())
        .contains(SiteDirectory.REQUIRES_ACCESS_TOKEN)
        .contains("valueBoolean=true");
    assertThat(bundle.getList("entry.findAll { it.search.mode == 'match' }")).hasSize(1);
  }

  @Test
  void anotherIncludeIsABadRequest() {
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/fhir/ImagingStudy?_include=ImagingStudy:subject")
        .then()
        .statusCode(400)
        .body("resourceType", org.hamcrest.Matchers.equalTo("OperationOutcome"));
  }

  @Test
  void aPatientContextTokenAskingForAnotherPatientIsForbiddenNotEmpty() {
    String studyId =
        published("ponte-node-hospital-a", FhirStudies.study("hospital-a", FhirStudies.mrn()));
    String stranger = patientOf(Tokens.user("ana.clinic"), studyId);
    given()
        .auth()
        .oauth2(Tokens.user("maria.patient"))
        .get("/fhir/ImagingStudy?patient=" + stranger + "&_include=ImagingStudy:endpoint")
        .then()
        .statusCode(403)
        .body("resourceType", org.hamcrest.Matchers.equalTo("OperationOutcome"));
  }

  @Test
  void theCapabilityStatementListsTheEndpointInclude() {
    given()
        .get("/fhir/metadata")
        .then()
        .statusCode(200)
        .body(
            "rest[0].resource.find { it.type == 'ImagingStudy' }.searchInclude",
            hasItem("ImagingStudy:endpoint"));
  }

  private static String patientOf(String token, String studyId) {
    String subject =
        given()
            .auth()
            .oauth2(token)
            .get("/fhir/ImagingStudy/" + studyId)
            .then()
            .statusCode(200)
            .extract()
            .path("subject.reference");
    return subject.substring("Patient/".length());
  }
}
