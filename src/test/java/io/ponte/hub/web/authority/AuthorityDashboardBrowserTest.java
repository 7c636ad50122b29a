package io.ponte.hub.web.authority;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.hub.consent.TinyNode;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubFhir;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.ponte.testing.browser.BrowserScripts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rita.authority in a real browser (Debian's chromium through playwright-core): after a clinician's
 * cross-site retrieve and emergency access, she signs in, sees them counted in charts and tables,
 * reviews the emergency access with the keyboard, and downloads the CSV, which matches the API. The
 * story is src/test/browser/specs/authority-dashboard.js; screenshots in target/screenshots/.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class AuthorityDashboardBrowserTest {

  private static TinyNode node;

  @TestHTTPResource("/")
  URL hub;

  @BeforeAll
  static void startNode() throws Exception {
    node = new TinyNode(HubTestProfile.HOSPITAL_A_NODE_PORT);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void theAuthorityReviewsAnEmergencyAccessAndDownloadsTheFigures() throws Exception {
    BrowserScripts.chromium(); // skip (or fail on CI) before changing anything
    String mrn = FhirStudies.mrn();
    FhirStudies.Builder study = FhirStudies.study("hospital-a", mrn).name("Teixeira", "Lia");
    HubFhir.published("ponte-node-hospital-a", study);
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/dicomweb/studies/" + study.uidValue())
        .then()
        .statusCode(200);
    String reason = "browser story " + Long.toString(System.nanoTime(), 36);
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .contentType("application/json")
        .body(Map.of("patient", FhirStudies.mrnSystem("hospital-a") + "|" + mrn, "reason", reason))
        .post("/api/emergency-access")
        .then()
        .statusCode(201);
    Path csv = BrowserScripts.SCREENSHOTS.resolve("authority-cross-site-retrievals.csv");
    Files.deleteIfExists(csv);
    BrowserScripts.run(
        "authority-dashboard",
        hub.toString(),
        new ObjectMapper()
            .writeValueAsString(
                Map.of("username", "rita.authority", "reason", reason, "csvFile", csv.toString())));
    // the downloaded CSV is the API's table, row for row (default range: the last 30 days)
    String today = LocalDate.now(ZoneId.of("Europe/Lisbon")).toString();
    List<List<String>> api =
        given()
            .auth()
            .oauth2(Tokens.user("rita.authority"))
            .get("/api/authority/figures")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("tables.'cross-site-retrievals'.rows");
    List<List<String>> downloaded = new ArrayList<>();
    Files.readAllLines(csv).stream()
        .skip(1)
        .forEach(l -> downloaded.add(List.of(l.split(",", -1))));
    assertThat(downloaded).isEqualTo(api);
    assertThat(api.get(api.size() - 1)).first().isEqualTo(today);
    assertThat(Long.parseLong(api.get(api.size() - 1).get(1))).isPositive();
    for (String name : List.of("authority-dashboard-pt", "authority-dashboard-en")) {
      assertThat(Files.size(BrowserScripts.SCREENSHOTS.resolve(name + ".png"))).isPositive();
    }
  }

  @Test
  void aClinicianIsShownTheDoorPolitely() throws Exception {
    BrowserScripts.run(
        "wrong-role",
        hub.toString(),
        new ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "username", "ana.clinic",
                    "path", "/authority",
                    "heading", "Acesso não permitido")));
  }
}
