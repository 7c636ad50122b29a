package io.ponte.testing;

import java.util.Map;

/**
 * Where the real services of the test run are (started by src/main/scripts/ponte.sh services
 * start).
 */
public final class TestServices {

  public static final String KEYCLOAK = env("PONTE_TEST_KEYCLOAK", "http://127.0.0.1:8180");
  public static final String REALM_URL = KEYCLOAK + "/realms/ponte";

  private TestServices() {}

  static Map<String, String> oidc() {
    return Map.of("quarkus.oidc.auth-server-url", REALM_URL);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
