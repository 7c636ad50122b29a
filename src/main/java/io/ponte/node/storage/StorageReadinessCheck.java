package io.ponte.node.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the cache directory takes a synced write and the Blob container answers. A node whose
 * Blob is down still ingests (uploads wait), but operators must see it, so Blob is part of
 * readiness.
 */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

  @Inject NodeStorage storage;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("node-storage");
    if (!storage.isNode()) {
      return builder.up().withData("role", "hub: no node storage").build();
    }
    boolean up = true;
    try {
      Path probe = storage.layout().newTempFile();
      Files.write(probe, new byte[] {1});
      Files.delete(probe);
      builder.withData("cache", "writable");
    } catch (IOException | RuntimeException e) {
      up = false;
      builder.withData("cache", "not writable: " + e.getMessage());
    }
    try {
      storage.blobStore().ping();
      builder.withData("blob", "reachable");
    } catch (IOException | RuntimeException e) {
      up = false;
      builder.withData("blob", "unreachable");
    }
    return builder.status(up).build();
  }
}
