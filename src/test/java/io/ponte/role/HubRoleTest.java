package io.ponte.role;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Management;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(HubTestProfile.class)
class HubRoleTest {

  @Test
  void healthSaysHubAndReadinessWaitsForTheWarmValidator() throws InterruptedException {
    // the validator warms up in the background after start; until then the hub is not ready (503)
    // One request per round: asking twice could see 503 then 200 (the warm-up finishing between
    // them) and assert the wrong response.
    long deadline = System.currentTimeMillis() + 60_000;
    for (Response ready = given().get(Management.url("/q/health/ready"));
        ready.statusCode() != 200;
        ready = given().get(Management.url("/q/health/ready"))) {
      ready
          .then()
          .statusCode(503)
          .body("checks.find { it.name == 'fhir-validator' }.status", equalTo("DOWN"));
      assertThat(System.currentTimeMillis()).as("ready within 60 s").isLessThan(deadline);
      Thread.sleep(200);
    }
    given()
        .get(Management.url("/q/health"))
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'ponte-role' }.data.role", equalTo("hub"))
        .body("checks.find { it.name == 'fhir-validator' }.data.validator", equalTo("warm"));
  }

  @Test
  void metricsShowTheHubsConnectionPool() {
    String metrics =
        given().get(Management.url("/q/metrics")).then().statusCode(200).extract().asString();
    assertThat(metrics)
        .containsPattern("agroal_active_count\\{[^}]*datasource=\"hub\"")
        .containsPattern("agroal_max_used_count\\{[^}]*datasource=\"hub\"")
        .doesNotContain("datasource=\"node\"");
  }

  @Test
  void metricsAndHealthAreOnTheManagementPortOnly() {
    String port = "http://127.0.0.1:" + Management.PORT;
    given()
        .get(port + "/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("agroal_active_count"));
    given()
        .get(port + "/q/health")
        .then()
        .body("checks.find { it.name == 'ponte-role' }.data.role", equalTo("hub"));
    given().get(port + "/fhir/metadata").then().statusCode(404);
    // The hub's HTTP port faces every browser: it tells nobody its pools, queues and checks.
    for (String path :
        List.of(
            "/q",
            "/q/",
            "/q/metrics",
            "/q/health",
            "/q/health/live",
            "/q/health/ready",
            "/q/health/started",
            "/q/openapi")) {
      given().get(path).then().statusCode(404);
      given().head(path).then().statusCode(404);
    }
    given().get("/fhir/metadata").then().statusCode(200);
  }

  @Test
  void internalPrefixesAreNotAddressable() {
    String token = Tokens.user("ana.clinic");
    given().auth().oauth2(token).get("/hub/api/me").then().statusCode(404);
    given().auth().oauth2(token).get("/node/dicomweb/studies").then().statusCode(404);
  }

  @Test
  void hubEndpointsAreServedAtTheirPublicPath() {
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/api/me")
        .then()
        .statusCode(200)
        .body("organization", equalTo("clinic-norte"));
  }
}
