package io.ponte.node.storage;

import io.ponte.node.index.UploadQueue;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the cache directory takes a write and its volume has more free space than {@code
 * min-free-space}: those are what ingest needs. Blob is reported, not required: a node whose Blob
 * is down still ingests (instances wait PENDING in the durable cache) and serves what its cache
 * holds, so taking it out of service would refuse work it can do. Operators see the Blob state and
 * the upload backlog here and in {@code ponte_node_upload_backlog}.
 */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

  @Inject NodeStorage storage;

  @Inject CacheVolume volume;

  @Inject UploadQueue uploads;

  /**
   * A Blob endpoint that drops packets makes a ping wait for its timeouts (a minute with retries),
   * longer than any probe: the ping runs on its own thread, one at a time, and a probe waits for it
   * at most {@link #BLOB_WAIT}.
   */
  private static final Duration BLOB_WAIT = Duration.ofSeconds(2);

  private final ExecutorService pinger =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "ponte-blob-ping");
            t.setDaemon(true);
            return t;
          });

  private Future<String> ping;
  private volatile String lastBlobState = "not checked yet";

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("node-storage");
    if (!storage.isNode()) {
      return builder.up().withData("role", "hub: no node storage").build();
    }
    boolean up = true;
    Path probe = null;
    try {
      probe = storage.layout().newTempFile();
      Files.write(probe, new byte[] {1});
      builder.withData("cache", "writable");
    } catch (IOException | RuntimeException e) {
      up = false;
      builder.withData("cache", "not writable: " + e.getMessage());
    } finally {
      // On a full volume the write fails after the file is created: without this, every probe
      // (one per kubelet period) left an empty file behind in the cache's temp directory.
      deleteQuietly(probe);
    }
    try {
      CacheVolume.Usage usage = volume.usage();
      builder
          .withData("cacheVolumeUsableBytes", usage.usableBytes())
          .withData("cacheVolumeTotalBytes", usage.totalBytes())
          .withData(
              "cacheVolumeUsablePercent", String.format(Locale.ROOT, "%.1f", usage.usablePercent()))
          .withData("cacheVolumeMinFreeBytes", usage.minFreeBytes());
      if (usage.belowMinimum()) {
        up = false;
        builder.withData("cacheVolume", "below the minimum free space: not taking work");
      }
    } catch (IOException | RuntimeException e) {
      up = false;
      builder.withData("cacheVolume", "unreadable: " + e.getMessage());
    }
    builder.withData("blob", blobState());
    try {
      builder.withData("uploadBacklog", uploads.uploadBacklog());
    } catch (SQLException e) {
      builder.withData("uploadBacklog", "unknown: index unavailable");
    }
    return builder.status(up).build();
  }

  private static void deleteQuietly(Path probe) {
    if (probe == null) {
      return;
    }
    try {
      Files.deleteIfExists(probe);
    } catch (IOException e) {
      // the next probe tries again; start-up recovery clears the temp directory
    }
  }

  private String blobState() {
    Future<String> current;
    synchronized (this) {
      if (ping == null || ping.isDone()) {
        ping =
            pinger.submit(
                () -> {
                  try {
                    storage.blobStore().ping();
                    lastBlobState = "reachable";
                  } catch (IOException | RuntimeException e) {
                    lastBlobState = "unreachable";
                  }
                  return lastBlobState;
                });
      }
      current = ping;
    }
    try {
      return current.get(BLOB_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return "no answer within " + BLOB_WAIT.toSeconds() + "s (last: " + lastBlobState + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return lastBlobState;
    } catch (ExecutionException e) {
      return "unreachable";
    }
  }

  @PreDestroy
  void stop() {
    pinger.shutdownNow();
  }
}
