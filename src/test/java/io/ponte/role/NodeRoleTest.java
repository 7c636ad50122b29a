package io.ponte.role;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ponte.testing.Management;
import io.ponte.testing.NodeStorageTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class NodeRoleTest {

  @Test
  void healthSaysNodeAndSite() {
    given()
        .get(Management.url("/q/health"))
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
  void metricsAndHealthHaveAPortOfTheirOwnThatServesNothingElse() {
    String port = "http://127.0.0.1:" + Management.PORT;
    given()
        .accept("text/plain")
        .get(port + "/q/metrics")
        .then()
        .statusCode(200)
        .contentType(containsString("text/plain"))
        .body(containsString("# TYPE jvm_memory_used_bytes"));
    given()
        .get(port + "/q/metrics")
        .then()
        .statusCode(200)
        .contentType(containsString("application/openmetrics-text"))
        .body(containsString("# TYPE jvm_memory_used_bytes"), containsString("process_cpu_usage"));
    given()
        .get(port + "/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'node-storage' }.status", equalTo("UP"));
    given().get(port + "/q/health/live").then().statusCode(200);
    given().get(port + "/q/health/started").then().statusCode(200);
    given().get(port + "/studies").then().statusCode(404);
    given().get(port + "/dicomweb/studies").then().statusCode(404);
    given().get(port + "/q/openapi").then().statusCode(404);
    given().post(port + "/q/metrics").then().statusCode(404);
  }

  @Test
  void theHttpPortServesNothingUnderQOnceTheManagementPortIsSet() {
    for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q", "/q/x")) {
      given().get(path).then().statusCode(404);
    }
  }

  @Test
  void pagesAreTheHubsANodeNeverSendsAnyoneToSignIn() {
    given().redirects().follow(false).get("/portal").then().statusCode(404);
  }
}
