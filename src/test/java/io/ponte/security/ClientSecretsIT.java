package io.ponte.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * The packaged application, started as an operator would (production profile), refuses to run
 * without its client secrets or with the demo realm's published ones, and says which variable to
 * set. The demo profile's start is what every other IT does.
 */
class ClientSecretsIT {

  @Test
  void aHubWithoutItsSecretDoesNotStartAndNamesTheVariable() throws IOException {
    String log = refusedStart(PonteProcess.hub("ponte_hub_it_secrets"), "hub", null);
    assertThat(log)
        .contains("Ponte will not start")
        .contains("PONTE_OIDC_SECRET is not set")
        .contains("PONTE_HUB_CLIENT_SECRET (else PONTE_OIDC_SECRET) is not set");
  }

  @Test
  void aHubHandedTheDemoSecretOutsideTheDemoProfileDoesNotStart() throws IOException {
    String log = refusedStart(PonteProcess.hub("ponte_hub_it_secrets"), "hub", "ponte-hub-secret");
    assertThat(log)
        .contains("PONTE_OIDC_SECRET is the demo realm's published secret for ponte-hub");
  }

  @Test
  void aNodeWithoutItsSecretDoesNotStartAndNamesTheVariable() throws IOException {
    String log =
        refusedStart(
            PonteProcess.node("hospital-a", "ponte_node_it_secrets"), "node-hospital-a", null);
    assertThat(log)
        .contains("PONTE_OIDC_SECRET is not set")
        .contains("PONTE_NODE_CLIENT_SECRET (else PONTE_OIDC_SECRET) is not set");
  }

  /**
   * Starts {@code builder} in the production profile with {@code PONTE_OIDC_SECRET} set to {@code
   * secret} (unset when null), expects it to exit during start-up, and returns its whole log.
   */
  private static String refusedStart(PonteProcess.Builder builder, String name, String secret)
      throws IOException {
    int port = FreePorts.next();
    builder
        .port(port)
        .env("QUARKUS_PROFILE", "prod")
        .env("PONTE_OIDC_SECRET", secret)
        .env("PONTE_HUB_CLIENT_SECRET", null)
        .env("PONTE_NODE_CLIENT_SECRET", null);
    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("during start-up");
    Path log = Paths.get("target", "it-logs", name + "-" + port + ".log");
    return Files.readString(log);
  }
}
