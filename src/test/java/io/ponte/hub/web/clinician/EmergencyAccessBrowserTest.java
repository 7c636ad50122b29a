package io.ponte.hub.web.clinician;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.hub.consent.ConsentValidator;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.ponte.testing.browser.BrowserScripts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Emergency access in a real browser (Debian's chromium through playwright-core): a fresh patient
 * at Hospital A denies Clínica Norte (a paper consent recorded by ponte.admin); ana.clinic (Clinica
 * Norte) searches her hospital identifier, sees the withheld notice, asks for emergency access with
 * a typed reason (refused first without a reason and for 48 h), sees the study under the banner and
 * ends it early, in Portuguese and English. Then, through the API: both grants exist with that
 * reason, four hours each, ended by ana.clinic; and the audit holds the study read under them with
 * purpose emergency. The story is src/test/browser/specs/emergency-access.js; screenshots go to
 * target/screenshots/.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class EmergencyAccessBrowserTest {

  @TestHTTPResource("/")
  URL hub;

  @Test
  void anaOpensEmergencyAccessWhenThePatientDeniedHerClinic() throws Exception {
    BrowserScripts.chromium(); // skip (or fail on CI) before publishing anything
    String mrn = FhirStudies.mrn();
    String description = "TC cranio urgente " + mrn;
    FhirStudies.Builder study =
        FhirStudies.study("hospital-a", mrn).name("Vieira", "Rosa").description(description);
    HubFhir.published("ponte-node-hospital-a", study);
    denyClinicaNorte(mrn);
    String reason = "Inconsciente na urgência, sem familiares " + mrn;

    BrowserScripts.run(
        "emergency-access",
        hub.toString(),
        new ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "username", "ana.clinic",
                    "identifier", mrn,
                    "site", "hospital-a",
                    "reason", reason,
                    "description", description)));
    for (String name : List.of("emergency-withheld", "emergency-form", "emergency-timeline")) {
      for (String lang : List.of("pt", "en")) {
        assertThat(Files.size(BrowserScripts.SCREENSHOTS.resolve(name + "-" + lang + ".png")))
            .isPositive();
      }
    }
    assertThat(Files.size(BrowserScripts.SCREENSHOTS.resolve("emergency-refused-pt.png")))
        .isPositive();

    // The grants, as the API lists ana's: one per language, the typed reason, 4 h, ended early.
    List<Map<String, Object>> grants =
        given()
            .auth()
            .oauth2(Tokens.user("ana.clinic"))
            .get("/api/emergency-access")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("findAll { it.reason == '" + reason + "' }");
    assertThat(grants).hasSize(2); // the refused forms opened none
    for (Map<String, Object> g : grants) {
      assertThat(g.get("patient")).isEqualTo(FhirStudies.mrnSystem("hospital-a") + "|" + mrn);
      assertThat(g.get("organization")).isEqualTo("clinic-norte");
      assertThat(
              Duration.between(
                  Instant.parse((String) g.get("startsAt")),
                  Instant.parse((String) g.get("endsAt"))))
          .isEqualTo(Duration.ofHours(4));
      assertThat(g.get("active")).isEqualTo(false);
      assertThat(g.get("endedBy")).isEqualTo("ana.clinic");
    }
    // The audit: the study was read under the grant, with purpose emergency.
    JsonPath audit =
        given()
            .auth()
            .oauth2(Tokens.user("rita.authority"))
            .get("/fhir/AuditEvent?entity=" + study.uidValue())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(audit.getList("entry.resource.purposeOfEvent.flatten().text", String.class))
        .contains("emergency");
  }

  /** A paper consent by ponte.admin: the patient shares with everyone but Clínica Norte. */
  static void denyClinicaNorte(String mrn) {
    String consent =
        "{\"resourceType\":\"Consent\",\"status\":\"active\","
            + "\"scope\":{\"coding\":[{\"system\":\""
            + ConsentValidator.SCOPE_SYSTEM
            + "\",\"code\":\""
            + ConsentValidator.SCOPE_PRIVACY
            + "\"}]},\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\","
            + "\"code\":\"59284-0\"}]}],\"patient\":{\"identifier\":{\"system\":\""
            + FhirStudies.mrnSystem("hospital-a")
            + "\",\"value\":\""
            + mrn
            + "\"}},\"dateTime\":\""
            + Instant.now()
            + "\",\"policy\":[{\"uri\":\""
            + ConsentValidator.POLICY_OPT_OUT
            + "\"}],\"provision\":{\"type\":\"permit\",\"provision\":[{\"type\":\"deny\","
            + "\"actor\":[{\"role\":{\"coding\":[{\"system\":"
            + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},"
            + "\"reference\":{\"reference\":\"Organization/clinic-norte\"}}]}]}}";
    given()
        .auth()
        .oauth2(Tokens.user("ponte.admin"))
        .contentType("application/fhir+json")
        .body(consent)
        .post("/fhir/Consent")
        .then()
        .statusCode(201);
  }
}
