package io.ponte.hub.web.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.ponte.hub.consent.ConsentEnforcement;
import io.ponte.hub.consent.TinyNode;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.Tokens;
import io.ponte.testing.browser.BrowserScripts;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's browser story: maria.patient signs in to the portal in a real browser (Debian's
 * chromium through playwright-core) and denies Clínica Norte on the sharing page; then, through the
 * API with real tokens, ana.clinic (Clínica Norte) no longer finds or retrieves her studies from
 * either hospital (FHIR ImagingStudy search, QIDO-RS, WADO-RS), while bruno.hospa and carla.hospb
 * still see their own hospital's. The browser part is
 * src/test/browser/specs/patient-denies-a-clinic.js; screenshots go to target/screenshots/.
 */
@QuarkusTest
@TestProfile(PortalConsentTestProfile.class)
class PatientDeniesAClinicTest {

  @TestHTTPResource("/")
  URL hub;

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  static TinyNode node;

  @BeforeAll
  static void startNode() throws Exception {
    node = new TinyNode(PortalConsentTestProfile.NODE_PORT);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @AfterEach
  void withdrawEverything() throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("update consent set status = 'inactive' where status = 'active'")) {
      ps.executeUpdate();
    }
  }

  static RequestSpecification as(String user) {
    return given().auth().oauth2(Tokens.user(user));
  }

  @Test
  void mariaDeniesClinicaNorteInTheBrowserAndTheClinicLosesHerStudiesAtBothHospitals()
      throws Exception {
    BrowserScripts.chromium(); // skip (or fail on CI) before publishing anything
    withdrawEverything();
    MariaAtTwoHospitals maria = MariaAtTwoHospitals.publish();
    // Before: the clinic finds and retrieves her studies from both hospitals.
    findsBoth("ana.clinic", maria);
    as("ana.clinic").get("/dicomweb/studies/" + maria.studyB()).then().statusCode(200);

    BrowserScripts.run(
        "patient-denies-a-clinic",
        hub.toString(),
        new ObjectMapper()
            .writeValueAsString(
                Map.of("username", "maria.patient", "deny", Map.of("name", "Clínica Norte"))));
    for (String shot :
        List.of(
            "portal-sharing-before-pt",
            "portal-sharing-recorded-pt",
            "portal-sharing-recorded-en",
            "portal-sharing-error-en")) {
      assertThat(Files.size(BrowserScripts.SCREENSHOTS.resolve(shot + ".png"))).isPositive();
    }

    // FHIR search: her studies are left out, with a warning that a filter applied.
    as("ana.clinic")
        .queryParam("patient.identifier", patientA(maria))
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .body("total", equalTo(0))
        .body("entry.findAll { it.search.mode == 'match' }", empty())
        .body(
            "entry.find { it.search.mode == 'outcome' }.resource.issue[0].severity",
            equalTo("warning"));
    // QIDO-RS: omitted, with a Warning header.
    Response qido = as("ana.clinic").queryParam("PatientID", maria.mrnA()).get("/dicomweb/studies");
    qido.then().statusCode(200).body("$", empty());
    assertThat(qido.headers().getValues("Warning")).contains(ConsentEnforcement.FILTERED_WARNING);
    // WADO-RS from either hospital: 403 consent-denied, the whole study and its metadata.
    for (String study : List.of(maria.studyA(), maria.studyB())) {
      for (String path : List.of("/studies/" + study, "/studies/" + study + "/metadata")) {
        as("ana.clinic")
            .get("/dicomweb" + path)
            .then()
            .statusCode(403)
            .contentType(startsWith("application/problem+json"))
            .body("code", equalTo("ponte:consent-denied"));
      }
    }

    // Each hospital's own clinicians still find and retrieve their own hospital's study.
    ownHospitalStill("bruno.hospa", maria.mrnA(), maria.studyA());
    ownHospitalStill("carla.hospb", maria.mrnB(), maria.studyB());
    // The choice is a patient's own Consent, recorded by the same service as POST /fhir/Consent.
    as("maria.patient")
        .queryParam("status", "active")
        .get("/fhir/Consent")
        .then()
        .statusCode(200)
        .body("entry.resource.meta.tag.flatten().code", hasItem("patient"))
        .body(
            "entry.resource.provision.provision.flatten().actor.flatten().reference.reference",
            hasItem("Organization/clinic-norte"));
  }

  private static String patientA(MariaAtTwoHospitals maria) {
    return FhirStudies.mrnSystem("hospital-a") + "|" + maria.mrnA();
  }

  private static void findsBoth(String user, MariaAtTwoHospitals maria) {
    as(user)
        .queryParam("patient.identifier", patientA(maria))
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .body(
            "entry.resource.identifier.flatten().value",
            hasItems("urn:oid:" + maria.studyA(), "urn:oid:" + maria.studyB()))
        .body("entry.search.mode", not(hasItem("outcome")));
    as(user)
        .queryParam("PatientID", maria.mrnA())
        .get("/dicomweb/studies")
        .then()
        .statusCode(200)
        .body("'0020000D'.Value.flatten()", hasItems(maria.studyA(), maria.studyB()));
  }

  private static void ownHospitalStill(String user, String mrn, String study) {
    as(user)
        .queryParam("patient.identifier", FhirStudies.mrnSystem(siteOf(user)) + "|" + mrn)
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200)
        .body("entry.resource.identifier.flatten().value", hasItem("urn:oid:" + study));
    as(user)
        .queryParam("PatientID", mrn)
        .get("/dicomweb/studies")
        .then()
        .statusCode(200)
        .body("'0020000D'.Value.flatten()", hasItem(study));
    as(user).get("/dicomweb/studies/" + study).then().statusCode(200);
    as(user).get("/dicomweb/studies/" + study + "/metadata").then().statusCode(200);
  }

  private static String siteOf(String user) {
    return user.equals("bruno.hospa") ? "hospital-a" : "hospital-b";
  }
}
