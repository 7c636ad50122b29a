package io.ponte.node.storage.replica;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.ReplicaQueue;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.NodeStorageConfig;
import io.ponte.node.storage.VerifiedCopy;
import io.quarkus.scheduler.Scheduled;
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
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Copies every instance to the replica account after the fact, on a queue of its own (db/node V80):
 * claims due PENDING rows, streams each from the cache file (else from the primary blob, once
 * evicted) to the replica, proves the copy ({@link VerifiedCopy}) and only then marks it
 * REPLICATED. Ingest and the primary upload never wait for it: a replica outage leaves rows PENDING
 * with an exponential back-off, and the run stops at the first sign the replica is down instead of
 * timing out on every claimed row.
 */
@ApplicationScoped
public class ReplicationWorker {

  private static final Logger LOG = Logger.getLogger(ReplicationWorker.class);

  /** A claimed row is not offered again for this long, even if the worker dies mid-copy. */
  private static final Duration LEASE = Duration.ofMinutes(10);

  @Inject NodeStorage storage;

  @Inject ReplicaQueue queue;

  @Inject ReplicaMetrics metrics;

  Clock clock = Clock.systemUTC();

  private volatile Run last;

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

  /** One run: replicates what is due, batch after batch, until done or the replica fails. */
  public synchronized Run replicateDue() throws SQLException {
    NodeStorageConfig.Replica config = storage.config().replica();
    int replicated = 0;
    int failed = 0;
    boolean replicaDown = false;
    String error = null;
    int batch = Math.max(1, config.batchSize());
    outer:
    while (true) {
      Instant now = clock.instant();
      List<ReplicaQueue.Claimed> rows = queue.claimDue(batch, now, now.plus(LEASE));
      for (int i = 0; i < rows.size(); i++) {
        ReplicaQueue.Claimed row = rows.get(i);
        try {
          replicate(row.location());
          queue.markReplicated(row.location().sopInstanceUid(), clock.instant());
          metrics.replicated();
          replicated++;
        } catch (IOException e) {
          failed++;
          error = e.getMessage();
          boolean down = e instanceof VerifiedCopy.NotVerified nv && nv.targetFailed();
          metrics.failed(down ? "replica" : "source");
          int attempts = row.attempts() + 1;
          Duration wait = backoff(config, attempts);
          LOG.warnf(
              "replication of %s failed (attempt %d), next in %s: %s",
              row.location().sopInstanceUid(), attempts, wait, e.getMessage());
          queue.markFailed(row.location().sopInstanceUid(), attempts, clock.instant().plus(wait));
          if (down) {
            // The rest of the batch waits as long, without an attempt counted against it.
            for (ReplicaQueue.Claimed rest : rows.subList(i + 1, rows.size())) {
              queue.markFailed(
                  rest.location().sopInstanceUid(),
                  rest.attempts(),
                  clock.instant().plus(backoff(config, rest.attempts() + 1)));
            }
            replicaDown = true;
            break outer;
          }
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
    return storage.blobStore().read(at.blobName());
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
