package io.ponte.hub.dicomweb;

import io.ponte.testing.HubTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The hub under test, federating one real node process that serves HTTPS (TlsNodeResource). */
public class TlsNodeProfile extends HubTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    // failsafe hands -Dponte.app.jar to this JVM too; it is not hub config.
    config.put("smallrye.config.mapping.validate-unknown", "false");
    config.remove("ponte.hub.federation.node-url.hospital-a");
    return config;
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(TlsNodeResource.class));
  }
}
