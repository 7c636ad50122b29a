package io.ponte.request;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at a node's DICOMweb edge (the hub's own token, as in production): control
 * characters in a query and malformed Accept headers are 400 problem+json, not 500; a well-formed
 * Accept the node does not offer stays 406.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class HostileRequestsNodeTest {

  private static RequestSpecification asHub() {
    return given().urlEncodingEnabled(false).auth().oauth2(Tokens.client("ponte-hub"));
  }

  @Test
  void aNulInQidoOrWadoIs400ProblemJson() {
    for (String path :
        new String[] {
          "/dicomweb/studies?PatientID=a%00b",
          "/dicomweb/studies?PatientName=%1b",
          "/dicomweb/studies/1.2.3/series?SeriesInstanceUID=%00",
          "/dicomweb/studies/1.2.3?x=%00"
        }) {
      asHub()
          .get(path)
          .then()
          .statusCode(400)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("ponte:bad-request"))
          .body("detail", containsString("control character"));
    }
  }

  @Test
  void aMalformedAcceptIs400AndAnUnsupportedOne406() {
    for (String path : new String[] {"/dicomweb/studies", "/dicomweb/studies/1.2.3/metadata"}) {
      asHub()
          .header("Accept", "nonsense")
          .get(path)
          .then()
          .statusCode(400)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("ponte:bad-request"));
    }
    asHub().header("Accept", "text/html").get("/dicomweb/studies").then().statusCode(406);
  }
}
