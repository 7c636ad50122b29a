package io.ponte.node.retention;

import io.ponte.role.PonteConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * The serving node's retention upkeep: decides studies indexed before the policy existed (the first
 * run soon after start) and refreshes the retention gauges. It never deletes anything: deletion is
 * an operator's explicit {@code ponte node delete-expired}.
 */
@ApplicationScoped
public class RetentionJob {

  private static final Logger LOG = Logger.getLogger(RetentionJob.class);

  @Inject PonteConfig ponte;

  @Inject RetentionConfig config;

  @Inject UndecidedStudies undecided;

  @Inject RetentionIndex index;

  @Inject RetentionMetrics metrics;

  @Scheduled(
      identity = "ponte-retention",
      every = "${ponte.node.retention.interval:1h}",
      delayed = "10s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!ponte.isNode()) {
      return;
    }
    try {
      run();
    } catch (SQLException e) {
      LOG.warnf("retention: run skipped, index unavailable (%s)", e.getMessage());
    }
  }

  /** One run: decide what is undecided, then count. */
  public RetentionIndex.Counts run() throws SQLException {
    undecided.decideAll(config.batchSize());
    RetentionIndex.Counts counts = index.counts(LocalDate.now(ZoneOffset.UTC));
    metrics.update(counts);
    return counts;
  }
}
