package io.ponte.hub.identity;

import io.ponte.testing.HubTestProfile;
import io.ponte.testing.TestDatabases;
import java.util.HashMap;
import java.util.Map;

/**
 * The hub with the scored matcher on, on a database of its own: other suites publish one default
 * patient everywhere, which the matcher would link (and they turn it off).
 */
public class IdentityMatchTestProfile extends HubTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("quarkus.datasource.hub.jdbc.url", TestDatabases.url("ponte_hub_match_test"));
    config.put("ponte.hub.identity.match.enabled", "true");
    return config;
  }
}
