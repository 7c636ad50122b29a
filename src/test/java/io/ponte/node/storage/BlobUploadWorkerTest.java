package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.UploadQueue;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.text.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobUploadWorkerTest {

  @Test
  void backsOffExponentiallyUpToTheCap() {
    BlobUploadWorker worker = new BlobUploadWorker();
    worker.storage =
        new NodeStorage() {
          @Override
          public NodeStorageConfig config() {
            return new FixedConfig(Duration.ofSeconds(10), Duration.ofMinutes(5));
          }
        };
    assertThat(worker.backoff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(worker.backoff(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(worker.backoff(5)).isEqualTo(Duration.ofSeconds(160));
    assertThat(worker.backoff(6)).isEqualTo(Duration.ofMinutes(5));
    assertThat(worker.backoff(1000)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void uploadsAClaimedBatchConcurrentlyWithinTheBoundAndKeepsAFailureForLater(@TempDir Path cache)
      throws Exception {
    List<InstanceIndex.Row> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      byte[] bytes = {(byte) i};
      Files.write(cache.resolve("f" + i), bytes);
      rows.add(row("1.2.3." + i, bytes, "f" + i));
    }
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    Map<String, byte[]> written = new ConcurrentHashMap<>();
    BlobStore blob =
        new FakeStore() {
          @Override
          public void writeChecked(
              String name, InputStream data, long length, Map<String, String> metadata)
              throws IOException {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
              Thread.sleep(100); // a remote account's latency: what concurrency is for
              if (name.equals("blob-1.2.3.7")) {
                throw new IOException("503 from Blob");
              }
              written.put(name, data.readAllBytes());
            } catch (InterruptedException e) {
              throw new IOException(e);
            } finally {
              inFlight.decrementAndGet();
            }
          }

          @Override
          public void write(
              String name, InputStream data, long length, Map<String, String> metadata) {
            throw new UnsupportedOperationException("uploads are checked writes");
          }
        };
    Queue queue = new Queue(rows);

    assertThat(upload(cache, blob, queue, 4, new SimpleMeterRegistry())).isEqualTo(11);

    assertThat(maxInFlight.get()).isEqualTo(4);
    assertThat(queue.uploaded).hasSize(11).doesNotContain("1.2.3.7");
    assertThat(queue.failed).containsExactly("1.2.3.7");
    assertThat(written).hasSize(11).containsEntry("blob-1.2.3.3", new byte[] {3});
  }

  @Test
  void aCacheFileChangedSinceIndexedIsNeverCommittedNorMarkedUploaded(@TempDir Path cache)
      throws Exception {
    byte[] indexed = {1, 2, 3, 4};
    Files.write(cache.resolve("changed"), new byte[] {1, 2, 9, 4});
    Files.write(cache.resolve("intact"), indexed);
    // A store as Blob is: what a write has read whole is committed (a plain write commits it).
    Map<String, byte[]> committed = new ConcurrentHashMap<>();
    BlobStore blob =
        new FakeStore() {
          @Override
          public void write(
              String name, InputStream data, long length, Map<String, String> metadata)
              throws IOException {
            committed.put(name, data.readAllBytes());
          }

          @Override
          public void writeChecked(
              String name, InputStream data, long length, Map<String, String> metadata)
              throws IOException {
            byte[] all = data.readNBytes((int) length);
            if (data.read() >= 0) {
              throw new IOException("longer");
            }
            committed.put(name, all);
          }
        };
    Queue queue =
        new Queue(List.of(row("1.2.3.1", indexed, "changed"), row("1.2.3.2", indexed, "intact")));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    assertThat(upload(cache, blob, queue, 2, registry)).isEqualTo(1);

    assertThat(queue.uploaded).containsExactly("1.2.3.2");
    assertThat(committed).as("the changed bytes never committed").containsOnlyKeys("blob-1.2.3.2");
    assertThat(queue.refused).as("left PENDING, for the fixity job").containsExactly("1.2.3.1");
    assertThat(queue.failed).isEmpty();
    assertThat(registry.get("ponte.node.upload.refused").counter().count()).isEqualTo(1.0);
  }

  /** One upload run of a worker over {@code cache}, {@code blob} and {@code queue}. */
  private static int upload(
      Path cache, BlobStore blob, Queue queue, int concurrency, SimpleMeterRegistry registry)
      throws Exception {
    BlobUploadWorker worker = new BlobUploadWorker();
    worker.storage =
        new NodeStorage() {
          @Override
          public NodeStorageConfig config() {
            return new FixedConfig(Duration.ofSeconds(10), Duration.ofMinutes(5), 64, concurrency);
          }

          @Override
          public CacheLayout layout() {
            return new CacheLayout(cache);
          }

          @Override
          public synchronized BlobStore blobStore() {
            return blob;
          }
        };
    worker.index = queue;
    worker.metrics = new StorageMetrics();
    worker.metrics.registry = registry;
    try {
      return worker.uploadDue();
    } finally {
      worker.stop();
    }
  }

  private static InstanceIndex.Row row(String sop, byte[] indexed, String cachePath) {
    return new InstanceIndex.Row(
        "1.2",
        "1.2.3",
        sop,
        Sha256.hex(indexed),
        indexed.length,
        cachePath,
        "blob-" + sop,
        InstanceIndex.PENDING,
        0,
        -1);
  }

  /** The rows claimed once, and what the worker marked. */
  static final class Queue extends UploadQueue {
    final List<InstanceIndex.Row> rows;
    final List<String> uploaded = Collections.synchronizedList(new ArrayList<>());
    final List<String> failed = Collections.synchronizedList(new ArrayList<>());
    final List<String> refused = Collections.synchronizedList(new ArrayList<>());
    private boolean claimed;

    Queue(List<InstanceIndex.Row> rows) {
      this.rows = rows;
    }

    @Override
    public List<InstanceIndex.Row> claimDueUploads(int limit, Instant now, Instant leaseUntil) {
      List<InstanceIndex.Row> due = claimed ? List.of() : rows;
      claimed = true;
      return due;
    }

    @Override
    public boolean markUploaded(String sopInstanceUid) {
      uploaded.add(sopInstanceUid);
      return true;
    }

    @Override
    public boolean markUploadFailed(String sopInstanceUid, int attempts, Instant nextAttemptAt) {
      failed.add(sopInstanceUid);
      return true;
    }

    @Override
    public boolean markUploadRefused(String sopInstanceUid, int attempts, Instant nextAttemptAt) {
      refused.add(sopInstanceUid);
      return true;
    }

    @Override
    public long uploadBacklog() {
      return 1;
    }
  }

  /** A store that only writes. */
  abstract static class FakeStore implements BlobStore {
    @Override
    public InputStream read(String name, long offset, long length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> metadata(String name) {
      return null;
    }

    @Override
    public void ping() {}
  }

  record FixedConfig(Duration backoff, Duration max, int batch, int concurrency)
      implements NodeStorageConfig {

    FixedConfig(Duration backoff, Duration max) {
      this(backoff, max, 1, 1);
    }

    public Path cacheDir() {
      return Path.of("unused");
    }

    public String blobConnectionString() {
      return AZURITE;
    }

    public Optional<String> blobContainer() {
      return Optional.empty();
    }

    public Duration uploadInterval() {
      return Duration.ofSeconds(1);
    }

    public Duration claimReleaseInterval() {
      return Duration.ofSeconds(10);
    }

    public int uploadBatchSize() {
      return batch;
    }

    public int uploadConcurrency() {
      return concurrency;
    }

    public Duration uploadBackoff() {
      return backoff;
    }

    public Duration uploadMaxBackoff() {
      return max;
    }

    public long maxCacheBytes() {
      return 0;
    }

    public Duration evictionInterval() {
      return Duration.ofMinutes(1);
    }

    public Duration accessGranularity() {
      return Duration.ofMinutes(1);
    }

    public String minFreeSpace() {
      return "2%";
    }

    public String targetFreeSpace() {
      return "10%";
    }

    @Override
    public boolean recoverAtStart() {
      return true;
    }

    @Override
    public Replica replica() {
      return new ReplicaOff();
    }
  }

  /** No replica configured. */
  record ReplicaOff() implements NodeStorageConfig.Replica {
    public Optional<String> connectionString() {
      return Optional.empty();
    }

    public Optional<String> container() {
      return Optional.empty();
    }

    public Duration interval() {
      return Duration.ofSeconds(5);
    }

    public int batchSize() {
      return 64;
    }

    public int concurrency() {
      return 4;
    }

    public Duration backoff() {
      return Duration.ofSeconds(10);
    }

    public Duration maxBackoff() {
      return Duration.ofHours(1);
    }

    public Duration maxLag() {
      return Duration.ofMinutes(15);
    }
  }
}
