package io.ponte.node.storage;

import io.ponte.node.storage.blob.AzureBlobStore;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.RehydrationDelay;
import io.ponte.role.PonteConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * The node's storage wiring: the cache layout and the Blob container of this site. On start-up
 * (node role only) it creates the cache and, before the DIMSE listener opens, runs {@link
 * CrashRecovery} (unless {@code recover-at-start} is off, as in a {@code ponte node verify} run
 * next to a serving node).
 */
@ApplicationScoped
public class NodeStorage {

  private static final Logger LOG = Logger.getLogger(NodeStorage.class);

  @Inject NodeStorageConfig config;

  @Inject PonteConfig ponte;

  @Inject TierConfig tiers;

  private volatile CacheLayout layout;
  private volatile BlobStore blobStore;
  private volatile BlobStore replicaStore;

  @Inject CrashRecovery recovery;

  void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event)
      throws IOException, SQLException {
    if (!isNode()) {
      return;
    }
    Files.createDirectories(layout().incoming());
    LOG.infof("node storage: cache %s, Blob container %s", layout().root(), containerName());
    if (replicated()) {
      LOG.infof("node storage: every object replicated to container %s", replicaContainerName());
    }
    if (config.recoverAtStart()) {
      recovery.recover();
    }
  }

  public boolean isNode() {
    return ponte.isNode();
  }

  public NodeStorageConfig config() {
    return config;
  }

  public CacheLayout layout() {
    if (layout == null) {
      layout = new CacheLayout(config.cacheDir());
    }
    return layout;
  }

  public String containerName() {
    return config.containerFor(ponte.site().orElse("node"));
  }

  public synchronized BlobStore blobStore() {
    if (blobStore == null) {
      blobStore =
          new AzureBlobStore(config.blobConnectionString(), containerName(), rehydrationDelay());
    }
    return blobStore;
  }

  /** Whether every object is also replicated to a second Blob account ({@code replica.*}). */
  public boolean replicated() {
    return config.replica().enabled();
  }

  /** The replica's container: its own name, else the primary's. */
  public String replicaContainerName() {
    return config.replica().container().orElse(containerName());
  }

  /** The replica's store; only when {@link #replicated()}. */
  public synchronized BlobStore replicaStore() {
    if (!replicated()) {
      throw new IllegalStateException("no replica is configured");
    }
    if (replicaStore == null) {
      replicaStore =
          new AzureBlobStore(
              config.replica().connectionString().orElseThrow(),
              replicaContainerName(),
              rehydrationDelay());
    }
    return replicaStore;
  }

  /** How long a rehydration out of Archive takes: simulated on Azurite when so configured. */
  public RehydrationDelay rehydrationDelay() {
    return tiers
        .simulatedRehydration()
        .map(d -> RehydrationDelay.simulated(d, java.time.Clock.systemUTC()))
        .orElseGet(() -> RehydrationDelay.service(tiers.rehydrationEstimate()));
  }

  /** For tests: another replica store (e.g. one behind a proxy that can be cut). */
  public synchronized void useReplicaStore(BlobStore store) {
    this.replicaStore = store;
  }

  /** For tests: another Blob store (e.g. a fake, or a store behind a proxy). */
  public synchronized void useBlobStore(BlobStore store) {
    this.blobStore = store;
  }
}
