package io.ponte.role;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar started as an operator starts it ({@code java -jar quarkus-run.jar serve --role
 * ...}): one build runs as hub or as node, and each exposes only its own role's endpoints.
 */
@DisplayName("java -jar quarkus-run.jar serve")
class ServeCommandIT {

  private static final String ME_ROLE = "checks.find { it.name == 'ponte-role' }.data.role";
  private static final String ME_SITE = "checks.find { it.name == 'ponte-role' }.data.site";

  static PonteProcess hub;
  static PonteProcess node;

  @BeforeAll
  static void start() {
    hub = PonteProcess.hub("ponte_hub_it").start();
    // a DIMSE port of its own: 11112 may be taken by another process on a shared machine
    node =
        PonteProcess.node("hospital-a", "ponte_node_it")
            .property("ponte.node.dimse.port", Integer.toString(FreePorts.next()))
            .start();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void hubSaysItIsTheHubOnHealth() {
    given()
        .baseUri(hub.baseUrl())
        .get("/q/health")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(ME_ROLE, equalTo("hub"))
        // start() waited on /q/health/ready, which a hub passes only once its FHIR validator is
        // warm
        .body("checks.find { it.name == 'fhir-validator' }.data.validator", equalTo("warm"));
  }

  @Test
  void nodeSaysItsRoleAndSiteOnHealth() {
    given()
        .baseUri(node.baseUrl())
        .get("/q/health")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(ME_ROLE, equalTo("node"))
        .body(ME_SITE, equalTo("hospital-a"));
  }

  @Test
  void nodeDoesNotServeTheHubsFhirApi() {
    given().baseUri(node.baseUrl()).get("/fhir/metadata").then().statusCode(404);
    given().baseUri(node.baseUrl()).get("/hub/fhir/metadata").then().statusCode(404);
  }

  @Test
  void nodeDoesNotServeHubEndpointsEvenWithAValidToken() {
    given()
        .baseUri(node.baseUrl())
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/api/me")
        .then()
        .statusCode(404);
  }

  @Test
  void hubServesItsOwnEndpoints() {
    given().baseUri(hub.baseUrl()).get("/api/me").then().statusCode(not(404)).statusCode(401);
    given()
        .baseUri(hub.baseUrl())
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .get("/api/me")
        .then()
        .statusCode(200)
        .body("organization", equalTo("clinic-norte"));
  }

  @Test
  void bothExposeMetricsForOperations() {
    given().baseUri(hub.baseUrl()).get("/q/metrics").then().statusCode(200);
    given().baseUri(node.baseUrl()).get("/q/metrics").then().statusCode(200);
  }
}
