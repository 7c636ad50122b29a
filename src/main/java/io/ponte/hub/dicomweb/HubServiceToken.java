package io.ponte.hub.dicomweb;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.quarkus.oidc.client.NamedOidcClient;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.runtime.TokensHelper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;

/**
 * The hub's own access token (client credentials of {@code ponte-hub}), used for every call to a
 * node. A caller's token is never forwarded: nodes trust the hub, not the hub's users. Cached and
 * refreshed by {@link TokensHelper}, so a burst of viewer requests makes one token request.
 */
@ApplicationScoped
public class HubServiceToken {

  private final TokensHelper tokens = new TokensHelper();

  @Inject
  @NamedOidcClient("hub-to-node")
  OidcClient client;

  public Uni<String> accessToken() {
    return tokens.getTokens(client).map(t -> t.getAccessToken());
  }

  /** Blocking form for worker threads. */
  public String accessTokenNow() {
    try {
      return accessToken().await().atMost(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      throw new ProblemException(
          ErrorCode.INTERNAL, "the hub could not obtain its service token", Map.of(), e);
    }
  }
}
