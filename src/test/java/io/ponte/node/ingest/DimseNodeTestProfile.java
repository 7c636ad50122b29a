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
    return config;
  }

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(TempDirInstanceStore.class);
  }
}
