package io.ponte.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;

/**
 * Test-only access to the test Keycloak's admin REST API (admin/admin on the master realm, demo
 * only), to create at test time what must never live in realm-config/: short-lived clients, foreign
 * realms. Whatever a test creates it deletes again (use try/finally).
 */
public final class KeycloakAdmin {

  private static final String USER = env("PONTE_TEST_KEYCLOAK_ADMIN", "admin");
  private static final String PASSWORD = env("PONTE_TEST_KEYCLOAK_ADMIN_PASSWORD", "admin");

  private KeycloakAdmin() {}

  /** Creates a realm from a (partial) representation: realm, roles, users, clients. */
  public static void createRealm(Map<String, Object> representation) {
    admin()
        .contentType(ContentType.JSON)
        .body(representation)
        .post("/admin/realms")
        .then()
        .statusCode(201);
  }

  public static void deleteRealm(String realm) {
    admin().delete("/admin/realms/{realm}", realm).then().statusCode(204);
  }

  /** Creates a client in {@code realm} and returns its internal id (for {@link #deleteClient}). */
  public static String createClient(String realm, Map<String, Object> representation) {
    Response created =
        admin()
            .contentType(ContentType.JSON)
            .body(representation)
            .post("/admin/realms/{realm}/clients", realm);
    created.then().statusCode(201);
    String location = created.header("Location");
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /**
   * Grants a realm role to the service account of a client (by internal id), as the realm file's
   * {@code service-account-<client>} user entry does on import.
   */
  public static void grantServiceAccountRole(String realm, String clientId, String role) {
    String user =
        admin()
            .get("/admin/realms/{realm}/clients/{id}/service-account-user", realm, clientId)
            .then()
            .statusCode(200)
            .extract()
            .path("id");
    Map<String, Object> representation =
        admin()
            .get("/admin/realms/{realm}/roles/{role}", realm, role)
            .then()
            .statusCode(200)
            .extract()
            .as(Map.class);
    admin()
        .contentType(ContentType.JSON)
        .body(List.of(representation))
        .post("/admin/realms/{realm}/users/{user}/role-mappings/realm", realm, user)
        .then()
        .statusCode(204);
  }

  public static void deleteClient(String realm, String id) {
    admin().delete("/admin/realms/{realm}/clients/{id}", realm, id).then().statusCode(204);
  }

  /** The realm's current RS256 signing key id, as published in its JWKS. */
  public static String signingKeyId(String realm) {
    List<Map<String, Object>> keys =
        given()
            .baseUri(TestServices.KEYCLOAK)
            .get("/realms/{realm}/protocol/openid-connect/certs", realm)
            .then()
            .statusCode(200)
            .extract()
            .path("keys");
    return keys.stream()
        .filter(key -> "RS256".equals(key.get("alg")) && "sig".equals(key.get("use")))
        .map(key -> (String) key.get("kid"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("realm " + realm + " publishes no RS256 key"));
  }

  /** A password-grant access token from any realm of the test Keycloak (not cached). */
  public static String passwordGrant(
      String realm, String clientId, String username, String password) {
    return given()
        .baseUri(TestServices.KEYCLOAK)
        .formParams(
            Map.of(
                "grant_type",
                "password",
                "client_id",
                clientId,
                "username",
                username,
                "password",
                password))
        .post("/realms/{realm}/protocol/openid-connect/token", realm)
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  /** A user representation that Keycloak's user profile accepts for a password grant. */
  public static Map<String, Object> user(
      String username, String password, List<String> realmRoles) {
    return Map.of(
        "username",
        username,
        "enabled",
        true,
        "emailVerified",
        true,
        "email",
        username + "@example.invalid",
        "firstName",
        "Test",
        "lastName",
        "User",
        "realmRoles",
        realmRoles,
        "credentials",
        List.of(Map.of("type", "password", "value", password, "temporary", false)));
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().baseUri(TestServices.KEYCLOAK).auth().oauth2(adminToken());
  }

  // Fetched per call: the master realm's admin tokens live 60 s, and tests are few.
  private static String adminToken() {
    return given()
        .baseUri(TestServices.KEYCLOAK)
        .formParams(
            Map.of(
                "grant_type",
                "password",
                "client_id",
                "admin-cli",
                "username",
                USER,
                "password",
                PASSWORD))
        .post("/realms/master/protocol/openid-connect/token")
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
