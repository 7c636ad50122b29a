package io.ponte.hub.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.testing.KeycloakAdmin;
import io.ponte.testing.TestServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hub's service token towards nodes is renewed before it expires ({@code
 * quarkus.oidc-client.hub-to-node.refresh-token-time-skew}, 30 s in production; {@value #SKEW} s
 * here, with tokens of {@value #LIFESPAN} s, so that the test waits 13 s rather than 37), so a
 * request made after the first token's expiry still carries a valid one. Real Keycloak: a
 * confidential client of the test's own whose access tokens live {@value #LIFESPAN} s; the node is
 * the {@link FakeNode}, which echoes the request's headers, and Keycloak's introspection endpoint
 * says whether what the hub sent was valid.
 */
@QuarkusTest
@TestProfile(ShortLivedTokensProfile.class)
class HubServiceTokenRenewalTest {

  static final int LIFESPAN = ShortLivedTokensProfile.HUB_LIFESPAN;
  static final int SKEW = ShortLivedTokensProfile.HUB_SKEW;
  static final String CLIENT = ShortLivedTokensProfile.HUB_CLIENT;
  static final String SECRET = ShortLivedTokensProfile.HUB_SECRET;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeNode node;
  private static String clientUuid;

  @Inject NodeClient client;

  @BeforeAll
  static void start() throws Exception {
    clientUuid =
        KeycloakAdmin.createClient(
            "ponte",
            Map.of(
                "clientId",
                CLIENT,
                "secret",
                SECRET,
                "publicClient",
                false,
                "serviceAccountsEnabled",
                true,
                "standardFlowEnabled",
                false,
                "attributes",
                Map.of("access.token.lifespan", Integer.toString(LIFESPAN))));
    node = new FakeNode(FakeNodeProfile.FAKE_PORT);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (clientUuid != null) {
      KeycloakAdmin.deleteClient("ponte", clientUuid);
    }
  }

  @Test
  void renewsTheTokenBeforeItExpiresAndKeepsRequestsWorkingAfterIt() throws Exception {
    String first = tokenSentToNode();
    long firstExpiry = claims(first).path("exp").asLong();
    assertThat(firstExpiry - claims(first).path("iat").asLong()).isEqualTo(LIFESPAN);
    assertThat(active(first)).isTrue();
    assertThat(jti(tokenSentToNode()))
        .as("a fresh token is reused, not fetched per request")
        .isEqualTo(jti(first));

    // Inside the skew (less than SKEW s left): renewed although the first is still valid.
    sleepUntil(firstExpiry - SKEW + 1);
    String renewed = tokenSentToNode();
    assertThat(jti(renewed)).as("renewed within the time skew").isNotEqualTo(jti(first));
    assertThat(active(renewed)).isTrue();

    // After the first token's expiry: Keycloak refuses it, and what the hub sends is valid.
    sleepUntil(firstExpiry + 1);
    assertThat(active(first)).as("the first token has expired").isFalse();
    String later = tokenSentToNode();
    assertThat(jti(later)).isNotEqualTo(jti(first));
    assertThat(active(later)).as("the token sent after the first one's expiry").isTrue();
  }

  /** One request through the hub's node client; the bearer token the node received. */
  private String tokenSentToNode() throws Exception {
    NodeResponse r = client.get("fake-site", "/headers", List.of("application/dicom+json"));
    assertThat(r.status()).isEqualTo(200);
    JsonNode seen;
    try (InputStream in = r.body()) {
      seen = JSON.readTree(in);
    }
    String bearer = seen.path("authorization").asText();
    assertThat(bearer).startsWith("Bearer ");
    String token = bearer.substring("Bearer ".length());
    assertThat(claims(token).path("azp").asText()).isEqualTo(CLIENT);
    return token;
  }

  /** Keycloak's own verdict on a token (RFC 7662 introspection, as the test's client). */
  private static boolean active(String token) {
    Boolean active =
        given()
            .baseUri(TestServices.KEYCLOAK)
            .auth()
            .preemptive()
            .basic(CLIENT, SECRET)
            .formParams(Map.of("token", token))
            .post("/realms/ponte/protocol/openid-connect/token/introspect")
            .then()
            .statusCode(200)
            .extract()
            .path("active");
    return Boolean.TRUE.equals(active);
  }

  private static JsonNode claims(String jwt) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  /** The token's id (compared instead of whole tokens, to keep failure messages short). */
  private static String jti(String jwt) throws Exception {
    return claims(jwt).path("jti").asText();
  }

  private static void sleepUntil(long epochSecond) throws InterruptedException {
    long millis = epochSecond * 1000 - System.currentTimeMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }
}
