package io.ponte.security;

import io.ponte.role.PonteConfig;
import io.ponte.role.Role;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Refuses to start a process whose Keycloak client secrets are missing, or are the demo realm's
 * published ones ({@code <clientId>-secret}), outside the demo, dev and test profiles. The hub's
 * service account may read every node's images: it must never fall back to a value printed in the
 * README. The demo values live only in those profiles (application.properties) and the realm. The
 * hub also needs the key that signs its forms' CSRF tokens, for the same reason, and of at least
 * {@value #MIN_CSRF_KEY_LENGTH} characters.
 */
@ApplicationScoped
public class ClientSecrets {

  /** Profiles that run against the demo realm, where its published secrets are expected. */
  static final Set<String> DEMO_PROFILES = Set.of("demo", "dev", "test");

  /** One client secret a role needs: where it is configured and which variables set it. */
  record Secret(String property, String clientIdProperty, String variables, String purpose) {}

  static final Secret OWN_CLIENT =
      new Secret(
          "quarkus.oidc.credentials.secret",
          "quarkus.oidc.client-id",
          "PONTE_OIDC_SECRET",
          "this process's own Keycloak client");
  static final Secret HUB_TO_NODE =
      new Secret(
          "quarkus.oidc-client.hub-to-node.credentials.secret",
          "quarkus.oidc-client.hub-to-node.client-id",
          "PONTE_HUB_CLIENT_SECRET (else PONTE_OIDC_SECRET)",
          "the hub's service account, which reads every node's images");
  static final Secret PUBLISHER =
      new Secret(
          "quarkus.oidc-client.publisher.credentials.secret",
          "quarkus.oidc-client.publisher.client-id",
          "PONTE_NODE_CLIENT_SECRET (else PONTE_OIDC_SECRET)",
          "the node's service account, which publishes studies to the hub");

  /**
   * The key that signs the web forms' CSRF tokens (io.ponte.hub.web.FormTokens); the hub's only.
   */
  static final String CSRF_KEY = "ponte.web.csrf-key";

  /** The CSRF key demo/dev/test use (application.properties): published, so never production's. */
  public static final String DEMO_CSRF_KEY = "ponte-demo-csrf-key-published-not-secret";

  /**
   * The shortest CSRF key accepted outside demo/dev/test: an HMAC-SHA256 key of fewer characters is
   * within reach of guessing, and forms signed under it could be forged.
   */
  static final int MIN_CSRF_KEY_LENGTH = 32;

  @Inject SmallRyeConfig config;
  @Inject PonteConfig ponte;

  // Before every other start-up observer: nothing else should run with a demo or missing secret.
  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    boolean publishes =
        config.getOptionalValue("ponte.node.publish.enabled", Boolean.class).orElse(true);
    List<String> problems =
        problems(
            ponte.role(),
            publishes,
            config.getProfiles(),
            key -> config.getOptionalValue(key, String.class));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "Ponte will not start: "
              + String.join("; ", problems)
              + ". Outside the demo profile every client secret comes from the environment (in"
              + " Kubernetes a Secret, see docs/operations.md); to try the demo, run with"
              + " QUARKUS_PROFILE=demo.");
    }
  }

  /** What is wrong with the secrets {@code role} needs; empty when start-up may go on. */
  static List<String> problems(
      Role role,
      boolean publishes,
      List<String> profiles,
      Function<String, Optional<String>> config) {
    boolean demo = profiles.stream().anyMatch(DEMO_PROFILES::contains);
    List<Secret> needed = new ArrayList<>(List.of(OWN_CLIENT));
    if (role == Role.HUB) {
      needed.add(HUB_TO_NODE);
    } else if (publishes) {
      needed.add(PUBLISHER);
    }
    List<String> problems = new ArrayList<>();
    for (Secret secret : needed) {
      Optional<String> value = config.apply(secret.property()).filter(v -> !v.isBlank());
      Optional<String> clientId = config.apply(secret.clientIdProperty());
      if (value.isEmpty()) {
        problems.add(secret.variables() + " is not set (" + secret.purpose() + ")");
      } else if (!demo && clientId.isPresent() && value.get().equals(clientId.get() + "-secret")) {
        problems.add(
            secret.variables()
                + " is the demo realm's published secret for "
                + clientId.get()
                + " ("
                + secret.purpose()
                + ")");
      }
    }
    if (role == Role.HUB && !demo) {
      Optional<String> key = config.apply(CSRF_KEY).filter(v -> !v.isBlank());
      if (key.isEmpty()) {
        problems.add(
            "PONTE_WEB_CSRF_KEY (else PONTE_WEB_SESSION_SECRET) is not set (signs the web forms'"
                + " CSRF tokens)");
      } else if (key.get().equals(DEMO_CSRF_KEY)) {
        problems.add("PONTE_WEB_CSRF_KEY is the demo's published CSRF key");
      } else if (key.get().length() < MIN_CSRF_KEY_LENGTH) {
        problems.add(
            "PONTE_WEB_CSRF_KEY (else PONTE_WEB_SESSION_SECRET) has "
                + key.get().length()
                + " characters, fewer than the "
                + MIN_CSRF_KEY_LENGTH
                + " needed (signs the web forms' CSRF tokens)");
      }
    }
    return problems;
  }
}
