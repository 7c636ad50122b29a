package io.ponte.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * application.properties as each profile resolves it (no environment): in production, behind the
 * TLS-terminating ingress, the session cookie is Secure, pages send HSTS, and the CSRF token is
 * signed with a key only the environment gives; on the plain-HTTP demo none of it but the signature
 * (with the demo's published key).
 */
class PageCookiesConfigTest {

  static SmallRyeConfig profile(String profile) throws IOException {
    return new SmallRyeConfigBuilder()
        .withProfile(profile)
        .withSources(
            new PropertiesConfigSource(
                Path.of("src/main/resources/application.properties").toUri().toURL(), 250))
        .build();
  }

  static Optional<String> value(SmallRyeConfig config, String key) {
    return config.getOptionalValue(key, String.class);
  }

  @Test
  void inProductionTheCookiesAreSecureAndPagesSendHsts() throws IOException {
    SmallRyeConfig prod = profile("prod");
    assertThat(value(prod, "quarkus.oidc.web.authentication.cookie-force-secure")).hasValue("true");
    assertThat(value(prod, "ponte.web.strict-transport-security"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("max-age="));
    // no key without the environment (ClientSecrets then refuses to start), never the demo's
    assertThat(value(prod, "ponte.web.csrf-key")).isEmpty();
  }

  @Test
  void onThePlainHttpDemoTheCookiesAreNotForcedSecure() throws IOException {
    for (String profile : new String[] {"demo", "dev", "test"}) {
      SmallRyeConfig demo = profile(profile);
      assertThat(value(demo, "quarkus.oidc.web.authentication.cookie-force-secure")).isEmpty();
      assertThat(value(demo, "ponte.web.strict-transport-security")).isEmpty();
      assertThat(value(demo, "ponte.web.csrf-key"))
          .hasValue(io.ponte.security.ClientSecrets.DEMO_CSRF_KEY);
    }
  }
}
