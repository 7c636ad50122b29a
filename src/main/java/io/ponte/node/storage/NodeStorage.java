package io.ponte.node.storage;

import io.ponte.node.storage.blob.AzureBlobStore;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.role.PonteConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The node's storage wiring: the cache layout and the Blob container of this site. On start-up
 * (node role only) it creates the cache and removes temp files left by a crash: nothing in {@code
 * .incoming} was ever acknowledged, because an instance is acknowledged only after its rename out
 * of there.
 */
@ApplicationScoped
public class NodeStorage {

  private static final Logger LOG = Logger.getLogger(NodeStorage.class);

  @Inject NodeStorageConfig config;

  @Inject PonteConfig ponte;

  private volatile CacheLayout layout;
  private volatile BlobStore blobStore;

  void onStart(@Observes StartupEvent event) throws IOException {
    if (!isNode()) {
      return;
    }
    Files.createDirectories(layout().incoming());
    int removed = cleanOrphanedTempFiles();
    LOG.infof(
        "node storage: cache %s, Blob container %s%s",
        layout().root(),
        containerName(),
        removed > 0 ? ", removed " + removed + " unacknowledged temp file(s)" : "");
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
      blobStore = new AzureBlobStore(config.blobConnectionString(), containerName());
    }
    return blobStore;
  }

  /** For tests: another Blob store (e.g. a fake, or a store behind a proxy). */
  public synchronized void useBlobStore(BlobStore store) {
    this.blobStore = store;
  }

  /**
   * Deletes every temp file in the incoming directory; only safe while no ingest is running
   * (start-up).
   */
  int cleanOrphanedTempFiles() throws IOException {
    int removed = 0;
    Path incoming = layout().incoming();
    if (!Files.isDirectory(incoming)) {
      return 0;
    }
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(incoming, "*" + CacheLayout.TEMP_SUFFIX)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
        removed++;
      }
    }
    return removed;
  }
}
