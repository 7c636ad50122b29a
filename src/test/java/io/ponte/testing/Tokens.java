package io.ponte.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real tokens from the test Keycloak (realm-config/ponte-realm.json), cached for their lifetime's
 * first minute.
 */
public final class Tokens {

  public static final String DEMO_PASSWORD = "ponte-demo";
  private static final String TOKEN_URL = TestServices.REALM_URL + "/protocol/openid-connect/token";
  private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

  private record Cached(String token, long fetchedAt) {
    boolean fresh() {
      return System.currentTimeMillis() - fetchedAt < 60_000;
    }
  }

  private Tokens() {}

  /** Password grant for a demo user through the public {@code ponte-web} client. */
  public static String user(String username) {
    return cached(
        "user:" + username,
        Map.of(
            "grant_type",
            "password",
            "client_id",
            "ponte-web",
            "username",
            username,
            "password",
            DEMO_PASSWORD));
  }

  /**
   * Client-credentials grant for a confidential client whose secret is {@code <clientId>-secret}.
   */
  public static String client(String clientId) {
    return cached(
        "client:" + clientId,
        Map.of(
            "grant_type",
            "client_credentials",
            "client_id",
            clientId,
            "client_secret",
            clientId + "-secret"));
  }

  private static String cached(String key, Map<String, String> form) {
    Cached hit = CACHE.get(key);
    if (hit != null && hit.fresh()) {
      return hit.token();
    }
    String token =
        given()
            .baseUri(TOKEN_URL)
            .formParams(form)
            .post()
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    CACHE.put(key, new Cached(token, System.currentTimeMillis()));
    return token;
  }
}
