package io.ponte.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.KeycloakAdmin;
import io.ponte.testing.Management;
import io.ponte.testing.TestServices;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens as the hub validates them, with REAL Keycloak tokens: accepted only when issued and
 * signed by realm ponte, unexpired, and carrying an allowed role. Refusals are problem+json: 401
 * (who are you?) with WWW-Authenticate, 403 (you may not). {@code GET /api/me} allows clinician,
 * patient, authority, admin.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class TokenValidationTest {

  private static final String PROBLEM_JSON = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  static ValidatableResponse me(String token) {
    var request = given();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.get("/api/me").then();
  }

  static void assertUnauthenticated(ValidatableResponse response) {
    response
        .statusCode(401)
        .contentType(startsWith(PROBLEM_JSON))
        .header("WWW-Authenticate", startsWith("Bearer"))
        .body("status", equalTo(401))
        .body("code", equalTo("ponte:unauthenticated"));
  }

  @Nested
  @DisplayName("accepts")
  class Accepts {

    @Test
    void clinicianWithTheirOrganization() {
      me(Tokens.user("ana.clinic"))
          .statusCode(200)
          .body("username", equalTo("ana.clinic"))
          .body("roles", hasItem("clinician"))
          .body("organization", equalTo("clinic-norte"));
    }

    @Test
    void patientWithTheirRegionalId() {
      me(Tokens.user("maria.patient"))
          .statusCode(200)
          .body("roles", hasItem("patient"))
          .body("patientId", equalTo("REG-000001"));
    }
  }

  @Nested
  @DisplayName("answers 401 problem+json")
  class Refuses401 {

    @Test
    void withoutAToken() {
      assertUnauthenticated(me(null));
    }

    @Test
    void forAGarbageToken() {
      assertUnauthenticated(me("not-a-jwt"));
      assertUnauthenticated(me("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"));
    }

    @Test
    void forAnExpiredToken() throws Exception {
      // A test-only public client whose access tokens live 5 s, created and deleted here: the token
      // is
      // genuine (same realm, same key, same user), accepted while fresh, refused once it has
      // expired.
      String clientId = "test-short-lived-" + UUID.randomUUID();
      String id =
          KeycloakAdmin.createClient(
              "ponte",
              Map.of(
                  "clientId",
                  clientId,
                  "publicClient",
                  true,
                  "directAccessGrantsEnabled",
                  true,
                  "standardFlowEnabled",
                  false,
                  "attributes",
                  Map.of("access.token.lifespan", "5"),
                  "defaultClientScopes",
                  List.of("basic", "roles", "ponte-claims", "ponte-hub-audience")));
      try {
        String token =
            KeycloakAdmin.passwordGrant("ponte", clientId, "ana.clinic", Tokens.DEMO_PASSWORD);
        long expiresAt = JSON.readTree(payload(token)).get("exp").asLong();
        me(token).statusCode(200);
        long waitMillis = (expiresAt + 2) * 1000 - System.currentTimeMillis();
        Thread.sleep(Math.max(0, waitMillis));
        double expired = failures("expired");
        assertUnauthenticated(me(token));
        assertThat(failures("expired")).isEqualTo(expired + 1);
      } finally {
        KeycloakAdmin.deleteClient("ponte", id);
      }
    }

    @Test
    void forATokenFromAnotherRealm() {
      // A real Keycloak realm on the same server, with a user who even has the clinician role
      // there.
      String realm = "foreign-" + UUID.randomUUID().toString().substring(0, 8);
      KeycloakAdmin.createRealm(
          Map.of(
              "realm",
              realm,
              "enabled",
              true,
              "roles",
              Map.of("realm", List.of(Map.of("name", "clinician"))),
              "clients",
              List.of(
                  Map.of(
                      "clientId",
                      "foreign-web",
                      "publicClient",
                      true,
                      "directAccessGrantsEnabled",
                      true)),
              "users",
              List.of(KeycloakAdmin.user("eve.foreign", "foreign-pass", List.of("clinician")))));
      try {
        String token =
            KeycloakAdmin.passwordGrant(realm, "foreign-web", "eve.foreign", "foreign-pass");
        assertUnauthenticated(me(token));
      } finally {
        KeycloakAdmin.deleteRealm(realm);
      }
    }

    @Test
    void forATokenWithThePonteIssuerSignedByAnotherKey() throws Exception {
      // Claims exactly as Keycloak writes them, even the realm's real key id; only the signature is
      // ours.
      KeyPair attacker = KeyPairGenerator.getInstance("RSA").generateKeyPair();
      String kid = KeycloakAdmin.signingKeyId("ponte");
      String forged =
          sign(attacker, Map.of("alg", "RS256", "typ", "JWT", "kid", kid), ponteClaims());
      assertUnauthenticated(me(forged));
    }

    @Test
    void forAnUnsignedToken() throws Exception {
      String header = encode(JSON.writeValueAsBytes(Map.of("alg", "none", "typ", "JWT")));
      String body = encode(JSON.writeValueAsBytes(ponteClaims()));
      assertUnauthenticated(me(header + "." + body + "."));
    }

    @Test
    void forATokenKeycloakIssuedToAnotherClient() {
      // Genuine, signed by the realm, the user even has the clinician role: but issued to
      // admin-cli, so not meant for Ponte (no aud ponte-hub).
      String token =
          KeycloakAdmin.passwordGrant("ponte", "admin-cli", "ana.clinic", Tokens.DEMO_PASSWORD);
      assertUnauthenticated(me(token));
    }

    @Test
    void forAnIdToken() {
      String idToken =
          given()
              .baseUri(TestServices.KEYCLOAK)
              .formParams(
                  Map.of(
                      "grant_type", "password",
                      "client_id", "ponte-web",
                      "username", "ana.clinic",
                      "password", Tokens.DEMO_PASSWORD,
                      "scope", "openid"))
              .post("/realms/ponte/protocol/openid-connect/token")
              .then()
              .statusCode(200)
              .extract()
              .path("id_token");
      assertUnauthenticated(me(idToken));
    }

    @Test
    void forATokenMeantForANode() {
      // The hub's own service account token carries aud ponte-node: the nodes', not the hub's.
      assertUnauthenticated(me(Tokens.client("ponte-hub")));
    }
  }

  @Nested
  @DisplayName("refuses forged algorithms locally")
  class RefusesLocally {

    @Test
    void algNoneAndHs256WithAGuessedSecretCostNoKeycloakCallAndNoError() throws Exception {
      Map<String, Object> claims = new LinkedHashMap<>(ponteClaims());
      claims.put("aud", "ponte-hub");
      String none =
          encode(JSON.writeValueAsBytes(Map.of("alg", "none", "typ", "JWT")))
              + "."
              + encode(JSON.writeValueAsBytes(claims))
              + ".";
      // Signed with the hub's published demo client secret, with a key id the realm never had: a
      // verifier that looked it up would fetch the realm's keys from Keycloak.
      String input =
          encode(
                  JSON.writeValueAsBytes(
                      Map.of("alg", "HS256", "typ", "JWT", "kid", UUID.randomUUID().toString())))
              + "."
              + encode(JSON.writeValueAsBytes(claims));
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              "ponte-hub-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String hs256 = input + "." + encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));

      List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.logging.Handler capture =
          new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
              records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          };
      java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
      java.util.logging.Logger oidc = java.util.logging.Logger.getLogger("io.quarkus.oidc");
      java.util.logging.Level oidcLevel = oidc.getLevel();
      oidc.setLevel(java.util.logging.Level.FINE);
      root.addHandler(capture);
      double before = failures("algorithm");
      try {
        assertUnauthenticated(me(none));
        assertUnauthenticated(me(hs256));
        given()
            .header("Authorization", "Bearer " + hs256)
            .get("/fhir/ImagingStudy")
            .then()
            .statusCode(401)
            .body("resourceType", equalTo("OperationOutcome"));
      } finally {
        root.removeHandler(capture);
        oidc.setLevel(oidcLevel);
      }
      assertThat(records)
          .as("no ERROR, and no key fetch or introspection at Keycloak")
          .noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
          .noneMatch(r -> String.valueOf(r.getMessage()).contains("Key Set"))
          .noneMatch(r -> String.valueOf(r.getMessage()).toLowerCase().contains("introspect"));
      assertThat(failures("algorithm")).isEqualTo(before + 3);
    }
  }

  @Nested
  @DisplayName("logs and counts every 401")
  class CountsFailures {

    @Test
    void byABoundedReason() throws Exception {
      double missing = failures("missing");
      double malformed = failures("malformed");
      double rejected = failures("rejected");
      assertUnauthenticated(me(null));
      assertUnauthenticated(me("not-a-jwt"));
      // Genuine and unexpired, but meant for the nodes (aud ponte-node).
      assertUnauthenticated(me(Tokens.client("ponte-hub")));
      assertThat(failures("missing")).isEqualTo(missing + 1);
      assertThat(failures("malformed")).isEqualTo(malformed + 1);
      assertThat(failures("rejected")).isEqualTo(rejected + 1);
      assertThat(
              given()
                  .get(Management.url("/q/metrics"))
                  .then()
                  .statusCode(200)
                  .extract()
                  .asString()
                  .lines()
                  .filter(l -> l.startsWith("ponte_authentication_failures_total{"))
                  .map(l -> l.replaceAll(".*reason=\"([^\"]*)\".*", "$1"))
                  .toList())
          .allMatch(
              r -> List.of("missing", "malformed", "algorithm", "expired", "rejected").contains(r));
    }
  }

  @jakarta.inject.Inject io.micrometer.core.instrument.MeterRegistry registry;

  double failures(String reason) {
    var counter = registry.find("ponte.authentication.failures").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Nested
  @DisplayName("answers 403 problem+json")
  class Refuses403 {

    @Test
    void forAValidTokenWithoutAnAllowedRole() {
      // A hospital node's service account (role node) is authenticated, but /api/me is for people.
      me(Tokens.client("ponte-node-hospital-a"))
          .statusCode(403)
          .contentType(startsWith(PROBLEM_JSON))
          .header("WWW-Authenticate", org.hamcrest.Matchers.nullValue())
          .body("status", equalTo(403))
          .body("code", equalTo("ponte:forbidden"))
          .body("detail", not(org.hamcrest.Matchers.containsString("Exception")));
    }
  }

  private static Map<String, Object> ponteClaims() {
    long now = System.currentTimeMillis() / 1000;
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", TestServices.REALM_URL);
    claims.put("sub", UUID.randomUUID().toString());
    claims.put("typ", "Bearer");
    claims.put("azp", "ponte-web");
    claims.put("iat", now);
    claims.put("exp", now + 300);
    claims.put("preferred_username", "ana.clinic");
    claims.put("organization", "clinic-norte");
    claims.put("realm_access", Map.of("roles", List.of("clinician", "admin")));
    claims.put("scope", "user/ImagingStudy.rs");
    return claims;
  }

  private static String sign(KeyPair key, Map<String, Object> header, Map<String, Object> claims)
      throws Exception {
    String signingInput =
        encode(JSON.writeValueAsBytes(header)) + "." + encode(JSON.writeValueAsBytes(claims));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key.getPrivate());
    rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + encode(rsa.sign());
  }

  private static String payload(String jwt) {
    return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
  }

  private static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
