package io.ponte.hub.dicomweb;

import io.ponte.testing.FreePorts;
import io.ponte.testing.HubTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The hub, with site {@code fake-site} at a {@link FakeNode} and site {@code down-site} at a closed
 * port.
 */
public class FakeNodeProfile extends HubTestProfile {

  static final int FAKE_PORT = FreePorts.next();
  static final int DOWN_PORT = FreePorts.next();

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("ponte.hub.federation.node-url.fake-site", "http://127.0.0.1:" + FAKE_PORT);
    config.put("ponte.hub.federation.node-url.down-site", "http://127.0.0.1:" + DOWN_PORT);
    // For the hub's own resources: hospital-a answers from the fake, hospital-b's node is down.
    config.put("ponte.hub.federation.node-url.hospital-a", "http://127.0.0.1:" + FAKE_PORT);
    config.put("ponte.hub.federation.node-url.hospital-b", "http://127.0.0.1:" + DOWN_PORT);
    config.put("ponte.public-url", "https://hub.example");
    // Long enough that a loaded CI machine never stalls a healthy transfer this long; the
    // silent/stall cases wait it out.
    config.put("ponte.hub.federation.read-timeout", "5s");
    config.put("ponte.hub.federation.buffer-bytes", "262144");
    // Tracing on (W3C propagation), but nothing sampled, so nothing is exported to a collector that
    // is not there: the trace context still travels to the node.
    config.put("quarkus.otel.sdk.disabled", "false");
    config.put("quarkus.otel.traces.sampler", "always_off");
    return config;
  }
}
