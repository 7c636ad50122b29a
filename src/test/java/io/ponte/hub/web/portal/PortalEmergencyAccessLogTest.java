package io.ponte.hub.web.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.Tokens;
import io.ponte.testing.WebSignIn;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Maria shares nothing; ana.clinic opens an emergency (break-glass) grant and searches her studies
 * under it. Her access log shows that access highlighted as an emergency, not as ordinary care.
 */
@QuarkusTest
@TestProfile(PortalConsentTestProfile.class)
class PortalEmergencyAccessLogTest {

  @TestHTTPResource("/")
  URL hub;

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  @AfterEach
  void withdrawEverything() throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement consents =
            c.prepareStatement("update consent set status = 'inactive' where status = 'active'");
        PreparedStatement grants =
            c.prepareStatement(
                "update emergency_grant set ended_at = now() where ended_at is null")) {
      consents.executeUpdate();
      grants.executeUpdate();
    }
  }

  @Test
  void anAccessUnderAnEmergencyGrantIsHighlightedInHerAccessLog() throws Exception {
    withdrawEverything();
    MariaAtTwoHospitals maria = MariaAtTwoHospitals.publish();
    given()
        .auth()
        .oauth2(Tokens.user("maria.patient"))
        .contentType("application/fhir+json")
        .body(
            "{\"resourceType\":\"Consent\",\"status\":\"active\",\"scope\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
                + "\"patient\":{\"identifier\":{\"system\":\"urn:ponte:regional-id\",\"value\":\""
                + MariaAtTwoHospitals.REGIONAL
                + "\"}},\"policy\":[{\"uri\":\"https://ponte.example/fhir/consent-policy/opt-out\"}],"
                + "\"provision\":{\"type\":\"deny\"}}")
        .post("/fhir/Consent")
        .then()
        .statusCode(201);
    anaOpensEmergencyAccessToMaria();
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .queryParam("patient.identifier", FhirStudies.mrnSystem("hospital-a") + "|" + maria.mrnA())
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(200);

    HttpResponse<String> page =
        WebSignIn.signIn(
                hub.toString().replaceAll("/$", "") + "/portal/access-log", "maria.patient")
            .landed();
    assertThat(page.statusCode()).isEqualTo(200);
    String body = page.body();
    int emergencyRow = body.indexOf("<tr class=\"access emergency\">");
    assertThat(emergencyRow).as("a highlighted row").isPositive();
    String row = body.substring(emergencyRow, body.indexOf("</tr>", emergencyRow));
    assertThat(row)
        .contains("Ana Costa", "Clínica Norte", "<strong class=\"flag\">Acesso de emergência");
  }

  @Test
  void theAccessLogSaysInWordsThatEmergencyAccessWasOpenedAndWhichHospitalRegisteredAStudy()
      throws Exception {
    withdrawEverything();
    MariaAtTwoHospitals.publish();
    anaOpensEmergencyAccessToMaria();

    WebSignIn browser =
        WebSignIn.signIn(
                hub.toString().replaceAll("/$", "") + "/portal/access-log", "maria.patient")
            .browser();
    String pt = browser.get(url("/portal/access-log"), java.util.Map.of()).body();
    // the grant itself: not "acrescentou" with an empty studies cell
    assertThat(pt).contains("abriu um acesso de emergência aos seus dados");
    assertThat(pt).doesNotContain(">acrescentou<");
    // a node publishing her study: the hospital's system in words, never its client id
    assertThat(pt)
        .contains("O sistema de imagiologia do hospital", "registou o exame na região")
        .doesNotContain("ponte-node-");

    browser.get(url("/web/locale?lang=en&next=/portal/access-log"), java.util.Map.of());
    String en = browser.get(url("/portal/access-log"), java.util.Map.of()).body();
    assertThat(en)
        .contains(
            "opened emergency access to your records",
            "The hospital&#39;s imaging system",
            "registered the study in the region")
        .doesNotContain("ponte-node-");
  }

  private String url(String path) {
    return hub.toString().replaceAll("/$", "") + path;
  }

  private static void anaOpensEmergencyAccessToMaria() {
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .contentType("application/json")
        .body(
            "{\"patient\":\"urn:ponte:regional-id|"
                + MariaAtTwoHospitals.REGIONAL
                + "\",\"reason\":\"unconscious in the emergency room\"}")
        .post("/api/emergency-access")
        .then()
        .statusCode(201);
  }
}
