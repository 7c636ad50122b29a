package io.ponte.hub.web;

import io.ponte.testing.HubTestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The hub with production's transport settings: every {@code %prod.} entry of
 * application.properties that forces cookies Secure, sets Strict-Transport-Security or reads the
 * ingress's X-Forwarded-* headers, copied as written (so the test follows prod, never a copy of its
 * values), with the test client's 127.0.0.1 as the one trusted proxy. The rest stays the test hub.
 * One profile for both tests behind the ingress (ProductionCookiesTest, ForwardedHeadersTest): each
 * distinct profile costs the suite one more Quarkus build and start.
 */
public class ProductionCookiesTestProfile extends HubTestProfile {

  static final String PROD = "%prod.";

  /** Production's PONTE_TRUSTED_PROXIES here: the tests' own requests come from 127.0.0.1. */
  static final String TRUSTED_PROXY = "127.0.0.1";

  /**
   * The {@code %prod.} cookie, HSTS and forwarded-header settings, without their profile prefix.
   */
  static Map<String, String> productionTransportSettings() {
    Properties properties = new Properties();
    try (InputStream in =
        Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
      properties.load(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, String> settings = new java.util.TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith(PROD)
          && (key.endsWith("cookie-force-secure")
              || key.endsWith("strict-transport-security")
              || key.startsWith(PROD + "quarkus.http.proxy."))) {
        settings.put(key.substring(PROD.length()), properties.getProperty(key));
      }
    }
    return settings;
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
    config.putAll(productionTransportSettings());
    config.put("quarkus.http.proxy.trusted-proxies", TRUSTED_PROXY);
    return config;
  }
}
