package io.ponte.testing;

import io.ponte.role.Role;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** Runs a {@code @QuarkusTest} as node {@code test-site}, against its own test database. */
public class NodeTestProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(Role.NODE.configuration());
    config.put("ponte.site", "hospital-a");
    config.put("quarkus.datasource.node.jdbc.url", TestDatabases.url("ponte_node_test"));
    // As production: metrics and health on the management port only (tests reach them through
    // Management.url).
    config.put("ponte.management.port", Integer.toString(Management.PORT));
    config.putAll(TestServices.oidc());
    return config;
  }
}
