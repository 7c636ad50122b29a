package io.ponte.hub.dicomweb;

import io.ponte.testing.PonteProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * A REAL hospital-a node: the packaged application started as its own process (PonteProcess), with
 * its own database, cache directory and Blob container on Azurite. The hub under test is pointed at
 * it.
 */
public class RealNodeResource implements QuarkusTestResourceLifecycleManager {

  static volatile PonteProcess node;

  @Override
  public Map<String, String> start() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    node =
        PonteProcess.node("hospital-a", "ponte_node_it")
            .property("ponte.node.storage.cache-dir", "target/it-node-cache-" + run)
            .property("ponte.node.storage.blob-container", "ponte-it-" + run)
            .start();
    return Map.of(
        "ponte.hub.federation.node-url.hospital-a",
        node.baseUrl(),
        "ponte.public-url",
        "https://hub.example");
  }

  @Override
  public void stop() {
    if (node != null) {
      node.close();
    }
  }
}
