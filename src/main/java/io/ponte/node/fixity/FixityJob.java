package io.ponte.node.fixity;

import io.ponte.node.index.FixityIndex;
import io.ponte.node.storage.NodeStorage;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The scheduled fixity run: takes the {@code sample-size} least recently verified instances
 * (receipt counts as a verification, so every instance comes round once per cycle however fast new
 * ones arrive), checks each ({@link InstanceFixity}) and records the outcome and time of its check.
 * Blob not answering ends the run, and the instance it stopped at stays due: nothing is recorded as
 * checked that was not.
 */
@ApplicationScoped
public class FixityJob {

  private static final Logger LOG = Logger.getLogger(FixityJob.class);

  @Inject NodeStorage storage;

  @Inject FixityConfig config;

  @Inject FixityIndex index;

  @Inject InstanceFixity fixity;

  @Inject FixityMetrics metrics;

  private volatile Run last;

  /** What one run did. */
  public record Run(
      Instant at,
      int checked,
      int ok,
      int repaired,
      int unrepairable,
      int deferred,
      boolean blobUnreachable) {}

  @Scheduled(
      every = "${ponte.node.fixity.interval:10m}",
      delayed = "2m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!storage.isNode() || !config.enabled()) {
      return;
    }
    try {
      run(Instant.now(), config.sampleSize());
    } catch (SQLException e) {
      LOG.warnf("fixity run skipped: index unavailable (%s)", e.getMessage());
    }
  }

  /** One run over at most {@code sampleSize} instances, recorded as checked at {@code now}. */
  public synchronized Run run(Instant now, int sampleSize) throws SQLException {
    int checked = 0;
    int ok = 0;
    int repaired = 0;
    int unrepairable = 0;
    int deferred = 0;
    boolean blobUnreachable = false;
    for (FixityIndex.Candidate candidate : index.leastRecentlyVerified(sampleSize)) {
      InstanceFixity.Result result;
      try {
        result = fixity.check(candidate, config.repair());
      } catch (SQLException e) {
        throw e;
      } catch (Exception e) {
        LOG.warnf(e, "fixity: check of %s failed", candidate.location().sopInstanceUid());
        continue;
      }
      if (result.blob() == CopyState.UNREACHABLE) {
        blobUnreachable = true;
        LOG.warnf("fixity run stopped: Blob did not answer; the rest waits for the next run");
        break;
      }
      index.recordCheck(candidate.location().sopInstanceUid(), now, result.outcome());
      checked++;
      switch (result.outcome()) {
        case FixityIndex.OK -> ok++;
        case FixityIndex.REPAIRED -> repaired++;
        case FixityIndex.UNREPAIRABLE -> unrepairable++;
        default -> deferred++;
      }
    }
    Instant oldest = index.oldestVerification();
    metrics.state(
        index.unrepairable(),
        oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toSeconds()));
    Run run = new Run(now, checked, ok, repaired, unrepairable, deferred, blobUnreachable);
    last = run;
    if (repaired + unrepairable > 0) {
      LOG.warnf(
          "fixity run: %d checked, %d repaired, %d without an intact copy, %d deferred",
          checked, repaired, unrepairable, deferred);
    } else {
      LOG.debugf("fixity run: %d checked, all intact (%d deferred)", checked, deferred);
    }
    return run;
  }

  /** The last run, or null before the first. */
  public Run last() {
    return last;
  }
}
