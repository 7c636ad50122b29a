package io.ponte.node.storage.pack;

import io.ponte.node.index.PackIndex;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.blob.BlobStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The packing run, scheduled and as {@code ponte node pack}: under the packers' lock (one packer
 * per node database, the node's or the command's), first finishes what a killed run left (unused
 * packs deleted, superseded single blobs deleted), then packs the series gone quiet, oldest first
 * ({@link SeriesPacker}). Blob failing ends the run; what it did not reach is due next time. A
 * series that fails while Blob answers (e.g. an instance neither cached nor in Blob) is logged,
 * counted ({@code ponte.node.pack.failed}), skipped and kept out of the next runs a while ({@link
 * SeriesBackoff}): the run goes on with the next series due, until it packed as many as it may.
 */
@ApplicationScoped
public class PackingJob {

  private static final Logger LOG = Logger.getLogger(PackingJob.class);

  @Inject NodeStorage storage;

  @Inject PackConfig config;

  @Inject PackIndex index;

  @Inject SeriesPacker packer;

  @Inject PackMetrics metrics;

  private final SeriesBackoff backoff = new SeriesBackoff();

  /** What one run did; {@code busy}: another packer held the lock, nothing was done. */
  public record Run(
      boolean busy,
      int recovered,
      int series,
      int packs,
      int instances,
      int singlesDeleted,
      int refused,
      int failed,
      String stoppedBy) {}

  @Scheduled(
      every = "${ponte.node.storage.pack.interval:1h}",
      delayed = "${ponte.node.storage.pack.interval:1h}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!storage.isNode() || !config.enabled()) {
      return;
    }
    try {
      Run run = run(Instant.now(), config.seriesPerRun());
      if (run.stoppedBy() != null) {
        LOG.warnf("packing run stopped: %s", run.stoppedBy());
      }
    } catch (SQLException e) {
      LOG.warnf("packing run skipped: index unavailable (%s)", e.getMessage());
    }
  }

  /** One run as of {@code now}, packing at most {@code seriesLimit} series. */
  public Run run(Instant now, int seriesLimit) throws SQLException {
    return run(now, seriesLimit, config.quietPeriod());
  }

  /** The same with another quiet period (the command's {@code --quiet-period}). */
  public Run run(Instant now, int seriesLimit, Duration quietPeriod) throws SQLException {
    try (PackIndex.Lock lock = index.tryLock()) {
      if (lock == null) {
        return new Run(true, 0, 0, 0, 0, 0, 0, 0, null);
      }
      BlobStore blob = storage.blobStore();
      int recovered = 0;
      int series = 0;
      int failed = 0;
      SeriesPacker.Outcome done = new SeriesPacker.Outcome(0, 0, 0, 0);
      String stoppedBy = null;
      try {
        recovered = packer.recover(blob);
        // Past failures, each series at most once: up to seriesLimit packed, twice as many tried.
        Set<String> tried = new HashSet<>();
        while (true) {
          int batch = Math.min(seriesLimit - series, 2 * seriesLimit - tried.size());
          if (batch <= 0) {
            break;
          }
          List<String> skipped = new ArrayList<>(tried);
          skipped.addAll(backoff.keptOut(now));
          List<PackIndex.SeriesDue> due =
              index.seriesDue(
                  now.minus(quietPeriod),
                  Math.max(2, config.minInstances()),
                  storage.replicated(),
                  batch,
                  skipped);
          if (due.isEmpty()) {
            break;
          }
          for (PackIndex.SeriesDue next : due) {
            tried.add(next.series());
            try {
              done = done.plus(packer.pack(next.study(), next.series()));
              backoff.packed(next.series());
              series++;
            } catch (IOException e) {
              if (!reachable(blob)) {
                throw e;
              }
              // This series' own failure (e.g. an instance neither cached nor in Blob): kept out
              // of the next runs a while, else it would come first again in every one.
              Duration wait = backoff.failed(next.series(), now, config.interval());
              LOG.warnf(
                  "packing series %s of study %s failed, skipped for %s: %s",
                  next.series(), next.study(), wait, e.getMessage());
              metrics.failed();
              failed++;
            }
          }
        }
      } catch (IOException e) {
        stoppedBy = "Blob failed: " + e.getMessage();
      }
      metrics.update(index.objectCounts());
      if (done.packs() > 0 || recovered > 0 || failed > 0) {
        LOG.infof(
            "packing: %d series, %d packs, %d instances, %d single blobs deleted, %d unfinished"
                + " packs of an earlier run finished, %d series failed",
            series, done.packs(), done.instances(), done.singlesDeleted(), recovered, failed);
      }
      return new Run(
          false,
          recovered,
          series,
          done.packs(),
          done.instances(),
          done.singlesDeleted(),
          done.refused(),
          failed,
          stoppedBy);
    }
  }

  /** Whether Blob answers: a series' failure while it does is that series' own. */
  private static boolean reachable(BlobStore blob) {
    try {
      blob.ping();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Finishes what a killed packer left (the same as each run does first), for a packer outside this
   * job ({@code ponte migrate}) that holds the packers' {@code lock}. Returns how many packs.
   */
  public int finishUnfinished(PackIndex.Lock lock) throws SQLException, IOException {
    if (lock == null) {
      throw new IllegalArgumentException("the packers' lock must be held");
    }
    return packer.recover(storage.blobStore());
  }
}
