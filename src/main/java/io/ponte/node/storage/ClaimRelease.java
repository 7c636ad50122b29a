package io.ponte.node.storage;

import io.ponte.node.index.DeadClaims;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Releases the claims of ended runs ({@link DeadClaims}) at start-up, before this process's workers
 * claim anything (in every node process: the server, and tools such as {@code ponte migrate}), and
 * then every {@code claim-release-interval} while the server runs, so that a second process that
 * died on the same database costs no lease either. Claims that held instances for a pack at ingest
 * are held again as a new arrival would be ({@link UploadHold}): the series is packed, not uploaded
 * one blob per instance.
 */
@ApplicationScoped
public class ClaimRelease {

  private static final Logger LOG = Logger.getLogger(ClaimRelease.class);

  @Inject NodeStorage storage;

  @Inject DeadClaims claims;

  @Inject UploadHold hold;

  Clock clock = Clock.systemUTC();

  // After NodeStorage's start-up (cache, crash recovery), before any scheduled worker runs.
  void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1) StartupEvent event)
      throws SQLException {
    if (storage.isNode()) {
      release();
    }
  }

  @Scheduled(
      every = "${ponte.node.storage.claim-release-interval:10s}",
      delayed = "${ponte.node.storage.claim-release-interval:10s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!storage.isNode()) {
      return;
    }
    try {
      release();
    } catch (SQLException e) {
      LOG.warnf("claim release skipped: index unavailable (%s)", e.getMessage());
    }
  }

  /** One release as of now; returns what it released. */
  public DeadClaims.Released release() throws SQLException {
    Instant now = clock.instant();
    DeadClaims.Released released =
        claims.release(now, hold.uploadDueAt(IngestSource.Protocol.DIMSE, now, 0));
    if (released.total() > 0) {
      LOG.infof(
          "released the claims of ended runs: %d upload(s) due now, %d instance(s) held for a pack"
              + " again, %d replica cop(ies) due now",
          released.uploads(), released.held(), released.replicas());
    }
    return released;
  }
}
