package io.ponte.role;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.NodeTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class NodeRoleTest {

  @Test
  void healthSaysNodeAndSite() {
    given()
        .get("/q/health")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'ponte-role' }.data.role", equalTo("node"))
        .body("checks.find { it.name == 'ponte-role' }.data.site", equalTo("hospital-a"));
  }

  @Test
  void hubPathsAreNotServed() {
    given().get("/fhir/metadata").then().statusCode(404);
    given().get("/hub/fhir/metadata").then().statusCode(404);
  }

  @Test
  void metricsHaveAPortOfTheirOwnThatServesNothingElse() {
    String port = "http://127.0.0.1:" + NodeTestProfile.METRICS_PORT;
    given()
        .get(port + "/q/metrics")
        .then()
        .statusCode(200)
        .contentType(containsString("text/plain"))
        .body(containsString("# TYPE jvm_memory_used_bytes"), containsString("process_cpu_usage"));
    given().get(port + "/studies").then().statusCode(404);
    given().get(port + "/q/health").then().statusCode(404);
    given().post(port + "/q/metrics").then().statusCode(404);
  }

  @Test
  void pagesAreTheHubsANodeNeverSendsAnyoneToSignIn() {
    given().redirects().follow(false).get("/portal").then().statusCode(404);
  }
}
