package io.ponte.hub.dicomweb;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@link FakeNodeProfile} with two of the hub's Keycloak clients switched to short-lived copies
 * that the tests create and delete themselves: the hub-to-node service client ({@link
 * HubServiceTokenRenewalTest}) and the web pages' client (SessionRefreshTest). One profile for both
 * (each test uses only its own client) rather than one each: each distinct profile costs the suite
 * one more Quarkus build and start. Neither client is asked for at start-up (the hub-to-node token
 * is fetched on first use, the web client only at a sign-in), so they may not exist yet.
 */
public class ShortLivedTokensProfile extends FakeNodeProfile {

  /** The hub-to-node client's tokens live this many seconds ... */
  public static final int HUB_LIFESPAN = 12;

  /** ... and the hub renews them this many seconds before they expire. */
  public static final int HUB_SKEW = 6;

  public static final String HUB_CLIENT = "test-hub-renewal-" + UUID.randomUUID();
  public static final String HUB_SECRET = "test-hub-renewal-secret-" + UUID.randomUUID();

  /** Per worktree, so that parallel test runs on one Keycloak do not share it. */
  public static final String WEB_CLIENT =
      "test-web-short-tokens" + System.getenv().getOrDefault("PONTE_TEST_DB_SUFFIX", "");

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("quarkus.oidc-client.hub-to-node.client-id", HUB_CLIENT);
    config.put("quarkus.oidc-client.hub-to-node.credentials.secret", HUB_SECRET);
    config.put("quarkus.oidc-client.hub-to-node.refresh-token-time-skew", HUB_SKEW + "S");
    config.put("quarkus.oidc.web.client-id", WEB_CLIENT);
    config.put("quarkus.oidc.web.token.refresh-token-time-skew", "1S");
    return config;
  }
}
