package io.ponte.node.storage.replica;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.ReplicaQueue;
import io.ponte.node.storage.InstanceBlobs;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.NodeStorageConfig;
import io.ponte.node.storage.ReplicaMetrics;
import io.ponte.node.storage.VerifiedCopy;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Copies every instance to the replica account after the fact, on a queue of its own (db/node V80):
 * what the primary holds in packs as those packs ({@link PackReplicator}), then the due PENDING
 * rows of their own, each streamed from the cache file (else from the primary blob, once evicted)
 * to the replica, the copy proven ({@link VerifiedCopy}) and only then marked REPLICATED. Ingest
 * and the primary upload never wait for it: a replica outage leaves rows PENDING with an
 * exponential back-off, and the run stops at the first sign the replica is down instead of timing
 * out on every claimed row.
 */
@ApplicationScoped
public class ReplicationWorker {

  private static final Logger LOG = Logger.getLogger(ReplicationWorker.class);

  /** A claimed row is not offered again for this long while its run lives (else: ClaimRelease). */
  private static final Duration LEASE = Duration.ofMinutes(10);

  @Inject NodeStorage storage;

  @Inject ReplicaQueue queue;

  @Inject ReplicaMetrics metrics;

  @Inject PackReplicator packReplicator;

  Clock clock = Clock.systemUTC();

  private volatile Run last;

  /** The copy threads, made on first use (a hub never replicates). */
  private ExecutorService copies;

  /** What one run did; {@code replicaDown} when it stopped because the replica failed. */
  public record Run(Instant at, int replicated, int failed, boolean replicaDown, String error) {}

  @Scheduled(
      every = "${ponte.node.storage.replica.interval:5s}",
      delayed = "${ponte.node.storage.replica.interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!storage.isNode() || !storage.replicated()) {
      return;
    }
    try {
      replicateDue();
    } catch (SQLException e) {
      LOG.warnf("replication run skipped: index unavailable (%s)", e.getMessage());
    }
  }

  /**
   * One run: replicates what is due, {@code concurrency} copies at a time, until done or the
   * replica fails; then the rest of the claimed batch waits out a back-off without an attempt
   * counted against it.
   */
  public synchronized Run replicateDue() throws SQLException {
    NodeStorageConfig.Replica config = storage.config().replica();
    // What the primary holds in packs goes as those packs; then the instances of their own.
    PackReplicator.Run packs = packReplicator.replicateDue();
    int replicated = packs.replicated();
    int failed = packs.failed();
    boolean replicaDown = packs.replicaDown();
    String error = packs.error();
    int batch = Math.max(1, config.batchSize());
    int concurrency = Math.max(1, config.concurrency());
    outer:
    while (!replicaDown) {
      Instant now = clock.instant();
      List<ReplicaQueue.Claimed> rows = queue.claimDue(batch, now, now.plus(LEASE));
      for (int from = 0; from < rows.size(); from += concurrency) {
        List<ReplicaQueue.Claimed> chunk =
            rows.subList(from, Math.min(rows.size(), from + concurrency));
        for (Outcome outcome : copyAll(chunk)) {
          if (outcome.error() == null) {
            if (queue.markReplicated(outcome.row().location(), clock.instant())) {
              metrics.replicated();
              replicated++;
            } else {
              lostClaim(outcome.row().location());
            }
            continue;
          }
          failed++;
          error = outcome.error().getMessage();
          boolean down =
              outcome.error() instanceof VerifiedCopy.NotVerified nv && nv.targetFailed();
          replicaDown |= down;
          metrics.failed(down ? "replica" : "source");
          int attempts = outcome.row().attempts() + 1;
          Duration wait = backoff(config, attempts);
          LOG.warnf(
              "replication of %s failed (attempt %d), next in %s: %s",
              outcome.row().location().sopInstanceUid(), attempts, wait, error);
          queue.markFailed(outcome.row().location(), attempts, clock.instant().plus(wait));
        }
        if (replicaDown) {
          // The replica is down: the rest of the batch waits as long, no attempt counted.
          for (ReplicaQueue.Claimed rest : rows.subList(from + chunk.size(), rows.size())) {
            queue.markFailed(
                rest.location(),
                rest.attempts(),
                clock.instant().plus(backoff(config, rest.attempts() + 1)));
          }
          break outer;
        }
      }
      if (rows.size() < batch) {
        break;
      }
    }
    metrics.backlog(queue.backlog(), queue.oldestPending(), clock.instant());
    Run run = new Run(clock.instant(), replicated, failed, replicaDown, error);
    last = run;
    return run;
  }

  /**
   * The copy was proven, but the row is no longer this run's claim of what was copied (released,
   * re-claimed, the instance changed or deleted meanwhile): not counted, the row left to its new
   * claim.
   */
  private void lostClaim(InstanceLocation copied) throws SQLException {
    // Kept while the instance has a row: the copy has the instance's own name, which another
    // claim may have written and use. Deleted when the row is gone (its study deleted meanwhile).
    boolean deleted;
    try {
      deleted =
          queue.deleteIfGone(
              copied.sopInstanceUid(),
              () -> storage.replicaStore().delete(copied.unpacked().blobName()));
    } catch (IOException e) {
      LOG.warnf(
          "replica copy of %s outlived its instance and could not be deleted: %s",
          copied.sopInstanceUid(), e.getMessage());
      return;
    }
    // Still indexed, but sent again with other bytes meanwhile: this copy may have overwritten
    // the replica's copy of those, so the row is copied again.
    boolean again = !deleted && queue.copyAgainIfChanged(copied);
    LOG.warnf(
        "replication of %s outlived its claim (released, taken by another, the instance changed"
            + " or deleted meanwhile): not counted replicated%s",
        copied.sopInstanceUid(),
        deleted
            ? "; the instance is gone, its copy deleted"
            : again ? "; the instance now has other bytes, which are copied again" : "");
  }

  /** One copy's result: {@code error} null when it was proven. */
  private record Outcome(ReplicaQueue.Claimed row, IOException error) {}

  /** Copies the rows in parallel and waits for every one (none outlives the run). */
  private List<Outcome> copyAll(List<ReplicaQueue.Claimed> rows) {
    if (rows.size() == 1) {
      return List.of(copy(rows.get(0)));
    }
    ExecutorService pool = pool(storage.config().replica().concurrency());
    List<Future<Outcome>> futures = new ArrayList<>(rows.size());
    for (ReplicaQueue.Claimed row : rows) {
      futures.add(pool.submit(() -> copy(row)));
    }
    List<Outcome> outcomes = new ArrayList<>(rows.size());
    for (Future<Outcome> future : futures) {
      try {
        outcomes.add(future.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("replication task failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while replicating", e);
      }
    }
    return outcomes;
  }

  private Outcome copy(ReplicaQueue.Claimed row) {
    try {
      replicate(row.location());
      return new Outcome(row, null);
    } catch (IOException e) {
      return new Outcome(row, e);
    } catch (RuntimeException e) {
      return new Outcome(row, new IOException(e.toString(), e));
    }
  }

  private synchronized ExecutorService pool(int concurrency) {
    if (copies == null) {
      AtomicInteger n = new AtomicInteger();
      copies =
          Executors.newFixedThreadPool(
              Math.max(1, concurrency),
              r -> {
                Thread t = new Thread(r, "blob-replica-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    return copies;
  }

  @PreDestroy
  void stop() {
    if (copies != null) {
      copies.shutdownNow();
    }
  }

  /** The last run, or null before the first. */
  public Run last() {
    return last;
  }

  /**
   * Copies the instance to the replica from the cache file, else the primary blob, and proves it.
   */
  public void replicate(InstanceLocation at) throws IOException {
    VerifiedCopy.write(openSource(at), storage.replicaStore(), at);
  }

  private InputStream openSource(InstanceLocation at) throws IOException {
    if (at.cachePath() != null) {
      try {
        return Files.newInputStream(storage.layout().resolve(at.cachePath()));
      } catch (NoSuchFileException e) {
        // evicted since the claim: the primary blob has it
      }
    }
    return InstanceBlobs.primary(storage.blobStore(), at);
  }

  /** backoff * 2^(attempts-1), capped at the configured maximum. */
  static Duration backoff(NodeStorageConfig.Replica config, int attempts) {
    int shift = Math.min(Math.max(attempts - 1, 0), 30);
    Duration wait = config.backoff().multipliedBy(1L << shift);
    return wait.compareTo(config.maxBackoff()) > 0 || wait.isNegative()
        ? config.maxBackoff()
        : wait;
  }
}
