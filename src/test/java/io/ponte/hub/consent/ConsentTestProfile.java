package io.ponte.hub.consent;

import io.ponte.testing.FreePorts;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.TestDatabases;
import java.util.HashMap;
import java.util.Map;

/**
 * The hub on a database of its own (consents of the demo patient must not leak into other suites'
 * searches), with every site's node at a {@link TinyNode}.
 */
public class ConsentTestProfile extends HubTestProfile {

  static final int NODE_PORT = FreePorts.next();

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("quarkus.datasource.hub.jdbc.url", TestDatabases.url("ponte_hub_consent_test"));
    for (String site : new String[] {"hospital-a", "hospital-b", "clinic-norte"}) {
      config.put("ponte.hub.federation.node-url." + site, "http://127.0.0.1:" + NODE_PORT);
    }
    return config;
  }
}
