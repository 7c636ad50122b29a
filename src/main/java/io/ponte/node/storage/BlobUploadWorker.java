package io.ponte.node.storage;

import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.UploadQueue;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Moves acknowledged instances to Blob after the fact: claims due PENDING rows, streams each cache
 * file to Blob under its validated name with its SHA-256 in the blob metadata ({@code
 * upload-concurrency} at a time), and marks it UPLOADED. The write is checked as a pack's is
 * ({@link CheckedBytes}, {@link io.ponte.node.storage.blob.BlobStore#writeChecked}): the SHA-256 of
 * the bytes sent must be the indexed one before the object is committed, so a cache file changed
 * since it was indexed is never uploaded as the instance: it stays PENDING (counted, logged, first
 * in line for the fixity job, which repairs it from an intact copy or reports it unrepairable). A
 * failure keeps the row PENDING and pushes its next attempt out exponentially (capped), so a Blob
 * outage costs nothing but a growing backlog.
 */
@ApplicationScoped
public class BlobUploadWorker {

  private static final Logger LOG = Logger.getLogger(BlobUploadWorker.class);

  /**
   * A claimed row is not offered again for this long, unless its run ends (a dead run's claims are
   * released at once: {@link ClaimRelease}).
   */
  private static final Duration LEASE = Duration.ofMinutes(10);

  @Inject NodeStorage storage;

  @Inject UploadQueue index;

  @Inject StorageMetrics metrics;

  Clock clock = Clock.systemUTC();

  /** The upload threads, made on first use (a hub never uploads). */
  private ExecutorService uploads;

  // The first run waits one interval too: a test that sets a long interval gets no run at all.
  @Scheduled(
      every = "${ponte.node.storage.upload-interval:5s}",
      delayed = "${ponte.node.storage.upload-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!storage.isNode()) {
      return;
    }
    try {
      uploadDue();
    } catch (SQLException e) {
      LOG.warnf("upload run skipped: index unavailable (%s)", e.getMessage());
    }
  }

  @PreDestroy
  void stop() {
    if (uploads != null) {
      uploads.shutdownNow();
    }
  }

  /** One run: uploads what is due, batch after batch; returns how many were uploaded. */
  public synchronized int uploadDue() throws SQLException {
    int uploaded = 0;
    int batch = storage.config().uploadBatchSize();
    while (true) {
      Instant now = clock.instant();
      List<InstanceIndex.Row> rows = index.claimDueUploads(batch, now, now.plus(LEASE));
      int ok = uploadAll(rows);
      uploaded += ok;
      if (rows.size() < batch || ok == 0) {
        break;
      }
    }
    metrics.backlog(index.uploadBacklog());
    return uploaded;
  }

  /** Uploads the claimed rows, {@code upload-concurrency} at a time; returns how many succeeded. */
  private int uploadAll(List<InstanceIndex.Row> rows) throws SQLException {
    ExecutorService pool = pool(Math.max(1, storage.config().uploadConcurrency()));
    List<Future<Boolean>> results = new ArrayList<>(rows.size());
    for (InstanceIndex.Row row : rows) {
      results.add(pool.submit(() -> upload(row)));
    }
    int ok = 0;
    SQLException indexFailure = null;
    for (Future<Boolean> result : results) {
      // Every upload is waited for, so that none outlives the run that claimed it.
      try {
        ok += result.get() ? 1 : 0;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SQLException sql) {
          indexFailure = indexFailure == null ? sql : indexFailure;
        } else {
          throw new IllegalStateException("upload task failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while uploading", e);
      }
    }
    if (indexFailure != null) {
      throw indexFailure;
    }
    return ok;
  }

  private synchronized ExecutorService pool(int concurrency) {
    if (uploads == null) {
      AtomicInteger n = new AtomicInteger();
      uploads =
          Executors.newFixedThreadPool(
              concurrency,
              r -> {
                Thread t = new Thread(r, "blob-upload-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    return uploads;
  }

  private boolean upload(InstanceIndex.Row row) throws SQLException {
    try {
      if (row.packOffset() >= 0) {
        // Never a pack overwritten with one instance: requeueUpload unpacks before it queues.
        throw new IllegalStateException("a packed instance queued for upload");
      }
      if (row.cachePath() == null) {
        throw new NoSuchFileException("no cache path for a PENDING instance");
      }
      var file = storage.layout().resolve(row.cachePath());
      try (InputStream in =
          CheckedBytes.of(
              Files.newInputStream(file),
              row.size(),
              row.sha256(),
              "cache file of instance " + row.sopInstanceUid())) {
        storage
            .blobStore()
            .writeChecked(row.blobName(), in, row.size(), Map.of("sha256", row.sha256()));
      }
      if (!index.markUploaded(row.sopInstanceUid())) {
        lostClaim(row);
        return false;
      }
      return true;
    } catch (CheckedBytes.Changed e) {
      int attempts = row.blobAttempts() + 1;
      Duration wait = backoff(attempts);
      metrics.uploadRefused();
      LOG.errorf(
          "upload of %s refused, nothing committed: %s; left PENDING (next in %s) and first for"
              + " the fixity job, which repairs it from an intact copy or reports it unrepairable",
          row.sopInstanceUid(), e.getMessage(), wait);
      index.markUploadRefused(row.sopInstanceUid(), attempts, clock.instant().plus(wait));
      return false;
    } catch (IOException | RuntimeException e) {
      int attempts = row.blobAttempts() + 1;
      Duration wait = backoff(attempts);
      LOG.warnf(
          "upload of %s failed (attempt %d), next in %s: %s",
          row.sopInstanceUid(), attempts, wait, e.getMessage());
      index.markUploadFailed(row.sopInstanceUid(), attempts, clock.instant().plus(wait));
      return false;
    }
  }

  /**
   * The row was no longer this run's to mark (its lease ran out during the upload and another took
   * it): the winner's state stands, and the object just written goes unless the instance still
   * points at it (another worker's upload of the same name); a pack switched to meanwhile does not.
   */
  private void lostClaim(InstanceIndex.Row row) throws SQLException {
    try {
      boolean deleted =
          index.deleteUnreferenced(
              row.sopInstanceUid(),
              row.blobName(),
              () -> storage.blobStore().delete(row.blobName()));
      LOG.warnf(
          "upload of %s outlived its claim, which another took meanwhile: not marked%s",
          row.sopInstanceUid(),
          deleted ? ", and the object written deleted (the instance points elsewhere)" : "");
    } catch (IOException e) {
      LOG.warnf(
          "upload of %s outlived its claim; the object written (%s) could not be deleted: %s",
          row.sopInstanceUid(), row.blobName(), e.getMessage());
    }
  }

  /** backoff * 2^(attempts-1), capped at the configured maximum. */
  Duration backoff(int attempts) {
    Duration base = storage.config().uploadBackoff();
    Duration max = storage.config().uploadMaxBackoff();
    int shift = Math.min(Math.max(attempts - 1, 0), 30);
    Duration wait = base.multipliedBy(1L << shift);
    return wait.compareTo(max) > 0 || wait.isNegative() ? max : wait;
  }
}
