package io.ponte.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@link NodeTestProfile} (site hospital-a) with node storage set up for tests: a fresh cache
 * directory under target/, a Blob container of its own on the real Azurite (so concurrent suites do
 * not share objects), short upload intervals and back-offs so retries happen within a test's
 * patience, and the DICOM listener on a free port.
 */
public class NodeStorageTestProfile extends NodeTestProfile {

  /** Fixed per JVM: Quarkus may ask for the overrides more than once. */
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    String run = RUN + suffix();
    config.put("ponte.node.storage.cache-dir", "target/node-cache-" + run);
    config.put("ponte.node.storage.blob-container", "ponte-test-" + run);
    config.put("ponte.node.storage.upload-interval", "1s");
    config.put("ponte.node.storage.upload-backoff", "1s");
    config.put("ponte.node.storage.upload-max-backoff", "2s");
    config.put("ponte.node.storage.eviction-interval", "1h");
    // Azurite rehydrates at once: the store simulates Azure's wait (see RehydrationDelay).
    config.put("ponte.node.storage.tiers.simulated-rehydration", "2s");
    // The DICOM listener on a free port, for the C-STORE tests (DimseStoreEndToEndTest,
    // IngestMemoryBoundTest): here rather than in a profile of their own, since each distinct
    // profile costs the suite one more Quarkus build and start.
    config.put("ponte.node.dimse.enabled", "true");
    config.put("ponte.node.dimse.port", "0");
    config.putAll(extra());
    return config;
  }

  /** Distinguishes a subclass's cache and container from this profile's. */
  protected String suffix() {
    return "";
  }

  /** Further overrides of a subclass (e.g. a Blob endpoint that is down). */
  protected Map<String, String> extra() {
    return Map.of();
  }
}
