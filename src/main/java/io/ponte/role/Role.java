package io.ponte.role;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One build, two roles. A process is either the central hub or a hospital node; the role selects
 * its own database (and Flyway migrations) and its own endpoints, and the other role's stay
 * switched off.
 */
public enum Role {
  HUB,
  NODE;

  /** Path prefix under which this role's JAX-RS resources are declared; see {@link RoleRouting}. */
  public String pathPrefix() {
    return "/" + name().toLowerCase(Locale.ROOT);
  }

  /**
   * The runtime properties that switch this role on and the other off. Applied as system properties
   * by {@code serve} and as config overrides by tests, so that both start the same way.
   */
  public Map<String, String> configuration() {
    boolean hub = this == HUB;
    Map<String, String> configuration =
        new HashMap<>(
            Map.of(
                "ponte.role", name().toLowerCase(Locale.ROOT),
                "quarkus.datasource.hub.active", Boolean.toString(hub),
                "quarkus.datasource.node.active", Boolean.toString(!hub),
                "quarkus.hibernate-orm.hub.active", Boolean.toString(hub),
                "quarkus.hibernate-orm.node.active", Boolean.toString(!hub),
                "quarkus.flyway.hub.active", Boolean.toString(hub),
                "quarkus.flyway.node.active", Boolean.toString(!hub),
                // Web pages are the hub's: a node signs no one in, redirects no one to Keycloak.
                "quarkus.oidc.web.tenant-enabled", Boolean.toString(hub),
                "quarkus.http.auth.permission.pages.enabled", Boolean.toString(hub)));
    if (!hub) {
      // Forwarded headers are the hub's, behind its ingress (application.properties). A node has no
      // proxy in front (the hub and the site's STOW-RS senders connect to it directly): there an
      // X-Forwarded-For could only be forged, so its audit records the address that connected.
      configuration.put("quarkus.http.proxy.proxy-address-forwarding", "false");
    }
    return Map.copyOf(configuration);
  }

  /** {@code $PONTE_ROLE} (hub or node), hub when unset. */
  public static Role fromEnvironment() {
    String value = System.getenv("PONTE_ROLE");
    return value == null || value.isBlank()
        ? HUB
        : Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
  }
}
