package io.ponte.node.publish;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.runtime.TokensHelper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The node's own service token for publishing: client credentials of {@code ponte-node-<site>},
 * through the NAMED OIDC client {@code publisher} so that it never mixes with another client the
 * process configures. Tokens are reused until they near expiry; a 401 from the hub forces a new
 * one.
 */
@ApplicationScoped
public class PublisherTokens {

  static final String CLIENT = "publisher";

  @Inject OidcClients clients;

  @Inject PublishConfig config;

  private final TokensHelper helper = new TokensHelper();

  public String accessToken(boolean forceNew) {
    OidcClient client = clients.getClient(CLIENT);
    Duration wait = config.timeouts().request();
    return helper
        .getTokens(client, java.util.Map.of(), forceNew)
        .await()
        .atMost(wait)
        .getAccessToken();
  }
}
