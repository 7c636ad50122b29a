package io.ponte.hub.viewer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * A viewer on another origin (an OHIF developer's http://localhost:3000 in the demo configuration)
 * may call /dicomweb and /fhir with a bearer token; any other origin may not.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class CrossOriginTest {

  static final String ALLOWED = "http://localhost:3000";

  @Test
  void preflightFromAConfiguredOriginIsAllowedWithTheAuthorizationHeader() {
    for (String path : new String[] {"/dicomweb/studies", "/fhir/ImagingStudy"}) {
      given()
          .header("Origin", ALLOWED)
          .header("Access-Control-Request-Method", "GET")
          .header("Access-Control-Request-Headers", "authorization,accept")
          .options(path)
          .then()
          .statusCode(200)
          .header("Access-Control-Allow-Origin", equalTo(ALLOWED))
          .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Authorization"))
          .header("Access-Control-Allow-Methods", containsString("GET"));
    }
  }

  @Test
  void preflightFromAnotherOriginIsRefused() {
    given()
        .header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .options("/dicomweb/studies")
        .then()
        .statusCode(not(equalTo(200)))
        .header("Access-Control-Allow-Origin", nullValue());
  }

  @Test
  void anAllowedOriginSeesTheWarningHeader() {
    given()
        .auth()
        .oauth2(Tokens.user("ana.clinic"))
        .header("Origin", ALLOWED)
        .get("/dicomweb/studies?limit=1")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", equalTo(ALLOWED))
        .header("Access-Control-Expose-Headers", containsString("Warning"));
  }
}
