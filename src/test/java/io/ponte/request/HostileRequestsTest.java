package io.ponte.request;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Management;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at the hub's edge: control characters in a query and malformed Accept headers are
 * 400 in the usual body (never 500, or 503 from an audit batch PostgreSQL refused), and anonymous
 * probes of bogus paths do not each become a metrics label.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class HostileRequestsTest {

  static final String PROBLEM_JSON = "application/problem+json";

  @Test
  void aNulInAFhirSearchIs400OperationOutcome() {
    String token = Tokens.user("ana.clinic");
    for (String path :
        new String[] {
          "/fhir/ImagingStudy?identifier=a%00b",
          "/fhir/ImagingStudy?patient=a%00b",
          "/fhir/Patient?identifier=a%00b",
          "/fhir/Patient?name=a%01b"
        }) {
      given()
          .urlEncodingEnabled(false)
          .auth()
          .oauth2(token)
          .get(path)
          .then()
          .statusCode(400)
          .contentType(startsWith("application/fhir+json"))
          .body("resourceType", equalTo("OperationOutcome"))
          .body("issue[0].details.coding[0].code", equalTo("ponte:bad-request"))
          .body("issue[0].diagnostics", containsString("control character"));
    }
  }

  @Test
  void aNulInQidoOrTheApiIs400ProblemJson() {
    String token = Tokens.user("ana.clinic");
    for (String path :
        new String[] {
          "/dicomweb/studies?PatientID=a%00b",
          "/dicomweb/studies?PatientName=x%0Dy",
          "/dicomweb/studies/1.2.3/series?Modality=%7f",
          "/api/me?x=%00"
        }) {
      given()
          .urlEncodingEnabled(false)
          .auth()
          .oauth2(token)
          .get(path)
          .then()
          .statusCode(400)
          .contentType(startsWith(PROBLEM_JSON))
          .body("code", equalTo("ponte:bad-request"))
          .body("detail", containsString("control character"));
    }
    // Percent-encoded UTF-8 (é) is no control character.
    given()
        .urlEncodingEnabled(false)
        .auth()
        .oauth2(token)
        .get("/dicomweb/studies?PatientName=Jos%C3%A9")
        .then()
        .statusCode(200);
  }

  @Test
  void aMalformedAcceptIs400AndAnUnsupportedOne406() {
    String token = Tokens.user("ana.clinic");
    given()
        .auth()
        .oauth2(token)
        .header("Accept", "nonsense")
        .get("/dicomweb/studies")
        .then()
        .statusCode(400)
        .contentType(startsWith(PROBLEM_JSON))
        .body("code", equalTo("ponte:bad-request"))
        .body("detail", containsString("Accept"));
    given()
        .auth()
        .oauth2(token)
        .header("Accept", "nonsense")
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(400)
        .body("resourceType", equalTo("OperationOutcome"));
    given()
        .auth()
        .oauth2(token)
        .header("Accept", "text/html")
        .get("/fhir/ImagingStudy")
        .then()
        .statusCode(406);
  }

  @Test
  void bogusPathsDoNotEachBecomeAUriTag() {
    Set<String> before = uriTags();
    for (int i = 0; i < 200; i++) {
      String bogus = UUID.randomUUID().toString();
      var request = given().urlEncodingEnabled(false);
      switch (i % 4) {
        case 0 -> request.get("/" + bogus); // unknown path
        case 1 -> request.header("X-Pad", "p".repeat(24_000)).get("/" + bogus); // 431
        case 2 -> request.get("/dicomweb/studies?x=" + bogus + "%00"); // refused before matching
        default -> request.header("Accept", "nonsense-" + bogus).get("/fhir/" + bogus);
      }
    }
    given().auth().oauth2(Tokens.user("ana.clinic")).get("/fhir/ImagingStudy/unknown-id");
    Set<String> uris = uriTags();
    // 200 distinct bogus requests add at most the fixed buckets (NOT_FOUND, REDIRECTION, UNKNOWN,
    // root) and the two templates they hit; however many real pages other tests visited before
    Set<String> added = new TreeSet<>(uris);
    added.removeAll(before);
    assertThat(added).as(added.toString()).hasSizeLessThanOrEqualTo(6);
    assertThat(uris).contains("/hub/fhir/ImagingStudy/{id}");
    assertThat(uris).noneMatch(u -> u.matches(".*[0-9a-f]{8}-[0-9a-f]{4}-.*"));
  }

  private static Set<String> uriTags() {
    String metrics =
        given().get(Management.url("/q/metrics")).then().statusCode(200).extract().asString();
    Set<String> uris = new TreeSet<>();
    Matcher m =
        Pattern.compile(
                "^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"", Pattern.MULTILINE)
            .matcher(metrics);
    while (m.find()) {
      uris.add(m.group(1));
    }
    return uris;
  }
}
