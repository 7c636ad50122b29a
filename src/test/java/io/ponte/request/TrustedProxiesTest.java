package io.ponte.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.role.Role;
import io.quarkus.vertx.http.runtime.TrustedProxyCheckPartConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * application.properties and {@link Role#configuration()} as {@code ponte serve} resolves them (the
 * role's settings are system properties there, above the file): only the production hub reads
 * X-Forwarded-* headers, only from the trusted proxies, and those are never "everyone" (an empty
 * list means that to Quarkus, so start-up refuses it). {@code ForwardedHeadersTest} proves the
 * settings on a running hub.
 */
class TrustedProxiesTest {

  static final String FORWARDING = "quarkus.http.proxy.proxy-address-forwarding";
  static final String TRUSTED = "quarkus.http.proxy.trusted-proxies";

  /** {@code environment} stands for environment variables (ordinal 300, as Quarkus reads them). */
  static SmallRyeConfig resolve(String profile, Role role, Map<String, String> environment)
      throws IOException {
    return new SmallRyeConfigBuilder()
        .withProfile(profile)
        .withSources(
            new PropertiesConfigSource(
                Path.of("src/main/resources/application.properties").toUri().toURL(), 250))
        .withSources(new PropertiesConfigSource(environment, "env", 300))
        .withSources(new PropertiesConfigSource(role.configuration(), "sys", 400))
        .build();
  }

  static Optional<String> value(SmallRyeConfig config, String key) {
    return config.getOptionalValue(key, String.class);
  }

  @Test
  void theProductionHubReadsXForwardedHeadersFromTrustedProxiesOnly() throws IOException {
    SmallRyeConfig hub = resolve("prod", Role.HUB, Map.of());
    assertThat(value(hub, FORWARDING)).hasValue("true");
    assertThat(value(hub, "quarkus.http.proxy.allow-x-forwarded")).hasValue("true");
    assertThat(value(hub, "quarkus.http.proxy.enable-forwarded-host")).hasValue("true");
    // a client's own `Forwarded` or X-Forwarded-Prefix passes nginx untouched: never read
    assertThat(value(hub, "quarkus.http.proxy.allow-forwarded")).isEmpty();
    assertThat(value(hub, "quarkus.http.proxy.enable-forwarded-prefix")).isEmpty();
    // without PONTE_TRUSTED_PROXIES, loopback only: the audit records the proxy, never a forgery
    assertThat(trusted(hub)).containsExactly("127.0.0.1", "[::1]");
    assertThat(problem(hub)).isEmpty();
  }

  @Test
  void theTrustedProxiesComeFromTheEnvironmentAndAreNeverEmpty() throws IOException {
    Map<String, String> environment = new HashMap<>();
    environment.put("PONTE_TRUSTED_PROXIES", "10.244.0.0/16,fd00:10:244::/56");
    assertThat(trusted(resolve("prod", Role.HUB, environment)))
        .containsExactly("10.244.0.0/16", "fd00:10:244::/56");
    assertThat(problem(resolve("prod", Role.HUB, environment))).isEmpty();
    // set but empty (a ConfigMap key left blank): no list, which Quarkus reads as "every sender"
    environment.put("PONTE_TRUSTED_PROXIES", "");
    SmallRyeConfig blank = resolve("prod", Role.HUB, environment);
    assertThat(trusted(blank)).isEmpty();
    assertThat(problem(blank)).hasValueSatisfying(p -> assertThat(p).contains("every sender"));
    // and so is a /0 range
    environment.put("PONTE_TRUSTED_PROXIES", "10.244.0.0/16, 0.0.0.0/0");
    assertThat(problem(resolve("prod", Role.HUB, environment)))
        .hasValueSatisfying(p -> assertThat(p).contains("0.0.0.0/0"));
  }

  static Optional<String> problem(SmallRyeConfig config) {
    return TrustedProxies.problem(
        config.getOptionalValue(FORWARDING, Boolean.class).orElse(false),
        config.getOptionalValues(TRUSTED, String.class));
  }

  @Test
  void aNodeNeverReadsForwardedHeaders() throws IOException {
    Map<String, String> environment = Map.of("PONTE_TRUSTED_PROXIES", "10.244.0.0/16");
    SmallRyeConfig node = resolve("prod", Role.NODE, environment);
    assertThat(value(node, FORWARDING)).hasValue("false");
    assertThat(problem(node)).isEmpty();
  }

  @Test
  void outsideProductionNothingReadsForwardedHeaders() throws IOException {
    for (String profile : new String[] {"demo", "dev", "test"}) {
      assertThat(value(resolve(profile, Role.HUB, Map.of()), FORWARDING)).as(profile).isEmpty();
    }
  }

  /** The trusted proxies, each one checked to be what Quarkus accepts as an address or CIDR. */
  static List<String> trusted(SmallRyeConfig config) {
    List<String> trusted = config.getOptionalValues(TRUSTED, String.class).orElse(List.of());
    trusted.forEach(new TrustedProxyCheckPartConverter()::convert);
    return trusted;
  }
}
