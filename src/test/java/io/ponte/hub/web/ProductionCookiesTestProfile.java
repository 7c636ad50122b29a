package io.ponte.hub.web;

import io.ponte.testing.HubTestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The hub with production's cookie and HSTS settings: every {@code %prod.} entry of
 * application.properties that forces cookies Secure or sets Strict-Transport-Security, copied as
 * written (so the test follows prod, never a copy of its values). The rest stays the test hub.
 */
public class ProductionCookiesTestProfile extends HubTestProfile {

  static final String PROD = "%prod.";

  /** The {@code %prod.} cookie and HSTS settings, without their profile prefix. */
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
          && (key.endsWith("cookie-force-secure") || key.endsWith("strict-transport-security"))) {
        settings.put(key.substring(PROD.length()), properties.getProperty(key));
      }
    }
    return settings;
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
    config.putAll(productionTransportSettings());
    return config;
  }
}
