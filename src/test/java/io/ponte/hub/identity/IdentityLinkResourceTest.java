package io.ponte.hub.identity;

import static io.ponte.testing.HubFhir.identifier;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Admins state which local identifiers are one person; nobody else may, and mistakes are refused,
 * not applied.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class IdentityLinkResourceTest {

  static String admin() {
    return Tokens.user("ponte.admin");
  }

  static String regional() {
    return "REG-T" + FhirStudies.mrn().substring(4);
  }

  @Test
  void adminLinksIdentifiersOfSeveralSitesUnderOneRegionalId() {
    String reg = regional();
    String a = FhirStudies.mrn();
    String b = FhirStudies.mrn();
    given()
        .auth()
        .oauth2(admin())
        .contentType("application/json")
        .body(List.of(identifier("hospital-a", a), identifier("hospital-b", b)))
        .put("/api/identity/links/" + reg)
        .then()
        .statusCode(200)
        .body("regionalId", equalTo(reg))
        .body("identifiers.value", containsInAnyOrder(a, b))
        .body("identifiers.site", containsInAnyOrder("hospital-a", "hospital-b"));
    given()
        .auth()
        .oauth2(admin())
        .get("/api/identity/links/" + reg)
        .then()
        .statusCode(200)
        .body("identifiers", hasSize(2));
  }

  @Test
  void replacingTheLinksUnlinksTheIdentifiersLeftOut() {
    String reg = regional();
    String a = FhirStudies.mrn();
    String b = FhirStudies.mrn();
    given()
        .auth()
        .oauth2(admin())
        .contentType("application/json")
        .body(List.of(identifier("hospital-a", a), identifier("hospital-b", b)))
        .put("/api/identity/links/" + reg)
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(admin())
        .contentType("application/json")
        .body(List.of(identifier("hospital-a", a)))
        .put("/api/identity/links/" + reg)
        .then()
        .statusCode(200)
        .body("identifiers.value", containsInAnyOrder(a));
    // b is free again: another regional id may take it.
    given()
        .auth()
        .oauth2(admin())
        .contentType("application/json")
        .body(List.of(identifier("hospital-b", b)))
        .put("/api/identity/links/" + regional())
        .then()
        .statusCode(200);
  }

  @Test
  void refusesToMoveAnIdentifierLinkedToAnotherPerson() {
    String a = FhirStudies.mrn();
    given()
        .auth()
        .oauth2(admin())
        .contentType("application/json")
        .body(List.of(identifier("hospital-a", a)))
        .put("/api/identity/links/" + regional())
        .then()
        .statusCode(200);
    String other = regional();
    given()
        .auth()
        .oauth2(admin())
        .contentType("application/json")
        .body(List.of(identifier("hospital-a", a)))
        .put("/api/identity/links/" + other)
        .then()
        .statusCode(409)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("ponte:conflict"));
    given()
        .auth()
        .oauth2(admin())
        .get("/api/identity/links/" + other)
        .then()
        .statusCode(200)
        .body("identifiers", hasSize(0));
  }

  @Test
  void refusesIdentifiersOfUnknownSystemsAndBadRegionalIds() {
    given()
        .auth()
        .oauth2(admin())
        .contentType("application/json")
        .body(List.of(Map.of("system", "urn:example:nowhere", "value", "1")))
        .put("/api/identity/links/" + regional())
        .then()
        .statusCode(400)
        .body("code", equalTo("ponte:bad-request"));
    given()
        .auth()
        .oauth2(admin())
        .contentType("application/json")
        .body(List.of())
        .put("/api/identity/links/bad%20id")
        .then()
        .statusCode(400);
  }

  @Test
  void deniesLinkChangesToEveryoneButAdmins() {
    for (String user : List.of("ana.clinic", "rita.authority", "maria.patient")) {
      given()
          .auth()
          .oauth2(Tokens.user(user))
          .contentType("application/json")
          .body(List.of(identifier("hospital-a", FhirStudies.mrn())))
          .put("/api/identity/links/REG-000001")
          .then()
          .statusCode(403)
          .contentType(startsWith("application/problem+json"));
    }
    given()
        .contentType("application/json")
        .body(List.of())
        .put("/api/identity/links/REG-000001")
        .then()
        .statusCode(401);
  }
}
