package io.ponte.node.ingest;

import io.ponte.testing.NodeTestProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A node with its DICOM listener on (free port) and the temp-dir store stand-in. */
public class DimseNodeTestProfile extends NodeTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("ponte.node.dimse.enabled", "true");
    config.put("ponte.node.dimse.port", "0");
    config.put("ponte.node.dimse.ae-title", "PONTE_A");
    // A title bound to an address this machine does not call from, and one bound to loopback.
    config.put("ponte.node.dimse.calling-addresses.\"CT_ELSEWHERE\"", "10.9.9.0/24");
    config.put("ponte.node.dimse.calling-addresses.\"CT_HERE\"", "127.0.0.0/8,::1");
    return config;
  }

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(TempDirInstanceStore.class);
  }
}
