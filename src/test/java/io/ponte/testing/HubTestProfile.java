package io.ponte.testing;

import io.ponte.role.Role;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** Runs a {@code @QuarkusTest} as the hub, against its own test database. */
public class HubTestProfile implements QuarkusTestProfile {

  /**
   * The port a node's DICOM listener would take, free when the profile loads: DimseHubTest proves
   * that a hub never listens on it.
   */
  public static final int NODE_DIMSE_PORT = FreePorts.next();

  /**
   * Where the hub finds hospital-a's node: the authority tests (AuthorityPagesTest,
   * AuthorityDashboardBrowserTest) run a TinyNode there for their cross-site retrieves; while they
   * do not, nothing listens and hospital-a is a site that is down. Here rather than in a profile of
   * their own: each distinct profile costs the suite one more Quarkus build and start.
   */
  public static final int HOSPITAL_A_NODE_PORT = FreePorts.next();

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(Role.HUB.configuration());
    config.put("quarkus.datasource.hub.jdbc.url", TestDatabases.url("ponte_hub_test"));
    config.putAll(TestServices.oidc());
    // Every suite publishes one default patient (Silva^Maria, 1970-01-02) at several sites: the
    // scored matcher would link them across tests. It is tested on a database of its own
    // (IdentityMatchTestProfile).
    config.put("ponte.hub.identity.match.enabled", "false");
    // A node's DICOM listener settings switched on, which a hub ignores. Here for every hub test
    // rather than in a profile of DimseHubTest's own: each distinct profile costs the suite one
    // more Quarkus build and start.
    config.put("ponte.node.dimse.enabled", "true");
    config.put("ponte.node.dimse.port", Integer.toString(NODE_DIMSE_PORT));
    // As production: metrics and health on the management port only (tests reach them through
    // Management.url).
    config.put("ponte.management.port", Integer.toString(Management.PORT));
    config.put(
        "ponte.hub.federation.node-url.hospital-a", "http://127.0.0.1:" + HOSPITAL_A_NODE_PORT);
    return config;
  }
}
