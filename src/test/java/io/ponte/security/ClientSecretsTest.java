package io.ponte.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.role.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientSecretsTest {

  final Map<String, String> config = new HashMap<>();

  List<String> problems(Role role, String... profiles) {
    return ClientSecrets.problems(
        role, true, List.of(profiles), key -> Optional.ofNullable(config.get(key)));
  }

  @Test
  void aHubWithoutItsSecretNamesTheVariable() {
    config.put("quarkus.oidc.client-id", "ponte-hub");
    assertThat(problems(Role.HUB, "prod"))
        .containsExactly(
            "PONTE_OIDC_SECRET is not set (this process's own Keycloak client)",
            "PONTE_HUB_CLIENT_SECRET (else PONTE_OIDC_SECRET) is not set (the hub's service"
                + " account, which reads every node's images)",
            "PONTE_WEB_CSRF_KEY (else PONTE_WEB_SESSION_SECRET) is not set (signs the web forms'"
                + " CSRF tokens)");
  }

  @Test
  void aHubWithTheDemoCsrfKeyIsRefusedOutsideTheDemo() {
    config.put("quarkus.oidc.credentials.secret", "s3cr3t-from-a-vault");
    config.put("quarkus.oidc-client.hub-to-node.credentials.secret", "s3cr3t-from-a-vault");
    config.put(ClientSecrets.CSRF_KEY, ClientSecrets.DEMO_CSRF_KEY);
    assertThat(problems(Role.HUB, "prod"))
        .containsExactly("PONTE_WEB_CSRF_KEY is the demo's published CSRF key");
    assertThat(problems(Role.HUB, "demo")).isEmpty();
    config.put(ClientSecrets.CSRF_KEY, "k".repeat(32));
    assertThat(problems(Role.HUB, "prod")).isEmpty();
  }

  @Test
  void aHubWithAShortCsrfKeyIsRefusedOutsideTheDemo() {
    config.put("quarkus.oidc.credentials.secret", "s3cr3t-from-a-vault");
    config.put("quarkus.oidc-client.hub-to-node.credentials.secret", "s3cr3t-from-a-vault");
    config.put(ClientSecrets.CSRF_KEY, "k".repeat(31));
    assertThat(problems(Role.HUB, "prod"))
        .containsExactly(
            "PONTE_WEB_CSRF_KEY (else PONTE_WEB_SESSION_SECRET) has 31 characters, fewer than the"
                + " 32 needed (signs the web forms' CSRF tokens)");
    assertThat(problems(Role.HUB, "demo")).isEmpty();
    assertThat(problems(Role.HUB, "dev")).isEmpty();
    assertThat(problems(Role.HUB, "test")).isEmpty();
    config.put(ClientSecrets.CSRF_KEY, "k".repeat(32));
    assertThat(problems(Role.HUB, "prod")).isEmpty();
  }

  @Test
  void aHubHandedTheDemoRealmsSecretIsRefusedOutsideTheDemo() {
    config.put("quarkus.oidc.client-id", "ponte-hub");
    config.put("quarkus.oidc.credentials.secret", "ponte-hub-secret");
    config.put("quarkus.oidc-client.hub-to-node.client-id", "ponte-hub");
    config.put("quarkus.oidc-client.hub-to-node.credentials.secret", "ponte-hub-secret");
    config.put(ClientSecrets.CSRF_KEY, "k".repeat(32));
    assertThat(problems(Role.HUB, "prod"))
        .hasSize(2)
        .allMatch(p -> p.contains("the demo realm's published secret for ponte-hub"));
    assertThat(problems(Role.HUB, "demo")).isEmpty();
    assertThat(problems(Role.HUB, "test")).isEmpty();
  }

  @Test
  void aNodeNeedsItsOwnAndItsPublishersSecretButNotTheHubs() {
    config.put("quarkus.oidc.client-id", "ponte-node-hospital-a");
    config.put("quarkus.oidc-client.publisher.client-id", "ponte-node-hospital-a");
    assertThat(problems(Role.NODE, "prod"))
        .containsExactly(
            "PONTE_OIDC_SECRET is not set (this process's own Keycloak client)",
            "PONTE_NODE_CLIENT_SECRET (else PONTE_OIDC_SECRET) is not set (the node's service"
                + " account, which publishes studies to the hub)");
    config.put("quarkus.oidc.credentials.secret", "s3cr3t-from-a-vault");
    config.put("quarkus.oidc-client.publisher.credentials.secret", "s3cr3t-from-a-vault");
    assertThat(problems(Role.NODE, "prod")).isEmpty();
  }

  @Test
  void aBlankSecretIsMissing() {
    config.put("quarkus.oidc.credentials.secret", " ");
    config.put("quarkus.oidc-client.hub-to-node.credentials.secret", "x");
    config.put(ClientSecrets.CSRF_KEY, "k".repeat(32));
    assertThat(problems(Role.HUB, "prod")).singleElement().asString().contains("PONTE_OIDC_SECRET");
  }
}
