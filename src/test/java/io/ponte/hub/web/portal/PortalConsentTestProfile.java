package io.ponte.hub.web.portal;

import io.ponte.hub.consent.TinyNode;
import io.ponte.testing.FreePorts;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.TestDatabases;
import java.util.HashMap;
import java.util.Map;

/**
 * The hub on a database of its own, for the portal tests that record consents (Maria's choices must
 * not leak into other suites' searches), with every site's node at a {@link TinyNode}.
 */
public class PortalConsentTestProfile extends HubTestProfile {

  static final int NODE_PORT = FreePorts.next();

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("quarkus.datasource.hub.jdbc.url", TestDatabases.url("ponte_hub_portal_test"));
    for (String site : new String[] {"hospital-a", "hospital-b", "clinic-norte"}) {
      config.put("ponte.hub.federation.node-url." + site, "http://127.0.0.1:" + NODE_PORT);
    }
    return config;
  }
}
