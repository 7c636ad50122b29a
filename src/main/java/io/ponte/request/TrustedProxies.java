package io.ponte.request;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to start a process that reads X-Forwarded-* headers from every sender. With {@code
 * quarkus.http.proxy.proxy-address-forwarding} on, Quarkus takes the client address, scheme and
 * host from those headers when the sender is a trusted proxy; an absent or empty {@code
 * quarkus.http.proxy.trusted-proxies} means "every sender is trusted", and so does a {@code /0}
 * range. Then anyone reaching the hub could write any address into the audit trail. An empty
 * PONTE_TRUSTED_PROXIES (a ConfigMap key left blank) resolves to exactly that, so it is checked
 * here rather than trusted to the file's default.
 */
@ApplicationScoped
public class TrustedProxies {

  static final String FORWARDING = "quarkus.http.proxy.proxy-address-forwarding";
  static final String TRUSTED = "quarkus.http.proxy.trusted-proxies";

  @Inject SmallRyeConfig config;

  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    problem(
            config.getOptionalValue(FORWARDING, Boolean.class).orElse(false),
            config.getOptionalValues(TRUSTED, String.class))
        .ifPresent(
            problem -> {
              throw new IllegalStateException(
                  "Ponte will not start: "
                      + problem
                      + ". Set PONTE_TRUSTED_PROXIES to the ingress controller's addresses"
                      + " (docs/operations.md, \"Behind the Ingress\").");
            });
  }

  /** What is wrong with trusting {@code trusted} to forward; empty when start-up may go on. */
  static Optional<String> problem(boolean forwarding, Optional<List<String>> trusted) {
    if (!forwarding) {
      return Optional.empty();
    }
    List<String> proxies = trusted.orElse(List.of());
    if (proxies.isEmpty()) {
      return Optional.of(
          FORWARDING
              + " is on without "
              + TRUSTED
              + ": every sender's X-Forwarded-For would be"
              + " believed");
    }
    return proxies.stream()
        .map(String::trim)
        .filter(p -> p.endsWith("/0"))
        .findFirst()
        .map(p -> TRUSTED + " has " + p + ", which trusts every sender's X-Forwarded-For");
  }
}
