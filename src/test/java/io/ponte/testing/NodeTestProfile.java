package io.ponte.testing;

import io.ponte.role.Role;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** Runs a {@code @QuarkusTest} as node {@code test-site}, against its own test database. */
public class NodeTestProfile implements QuarkusTestProfile {

  /** The node's metrics port ({@code ponte.node.metrics.port}), free when the profile loads. */
  public static final int METRICS_PORT = PonteProcess.Builder.freePort();

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(Role.NODE.configuration());
    config.put("ponte.site", "hospital-a");
    config.put("quarkus.datasource.node.jdbc.url", TestDatabases.url("ponte_node_test"));
    config.put("ponte.node.metrics.port", Integer.toString(METRICS_PORT));
    config.putAll(TestServices.oidc());
    return config;
  }
}
