package io.ponte.testing;

import io.ponte.role.Role;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** Runs a {@code @QuarkusTest} as the hub, against its own test database. */
public class HubTestProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(Role.HUB.configuration());
    config.put("quarkus.datasource.hub.jdbc.url", TestDatabases.url("ponte_hub_test"));
    config.putAll(TestServices.oidc());
    // Every suite publishes one default patient (Silva^Maria, 1970-01-02) at several sites: the
    // scored matcher would link them across tests. It is tested on a database of its own
    // (IdentityMatchTestProfile).
    config.put("ponte.hub.identity.match.enabled", "false");
    return config;
  }
}
