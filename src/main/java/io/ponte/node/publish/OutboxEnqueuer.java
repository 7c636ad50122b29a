package io.ponte.node.publish;

import io.agroal.api.AgroalDataSource;
import io.ponte.node.index.PublisherIndexReader;
import io.ponte.node.index.StudySnapshot;
import io.ponte.text.Sha256;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.jboss.logging.Logger;

/**
 * Puts quiet studies into the outbox: every study that received no instance for the quiet period
 * and whose latest instance is newer than its last build gets its ImagingStudy (re)built from the
 * index, in the same transaction that reads the index. A later instance of a published study
 * therefore rebuilds and re-sends it.
 */
@ApplicationScoped
public class OutboxEnqueuer {

  private static final Logger LOG = Logger.getLogger(OutboxEnqueuer.class);

  // Looked up lazily: on a hub the node datasource is inactive and must not be touched.
  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  @Inject PublisherIndexReader index;

  @Inject PublicationOutbox outbox;

  @Inject PublishConfig config;

  @Inject PublishingNode node;

  @Inject PublisherFhir fhir;

  /**
   * How much later than the time it records an ingest transaction may commit, at most (generous).
   */
  static final Duration COMMIT_SKEW_MARGIN = Duration.ofMinutes(5);

  static final Duration FULL_SCAN_EVERY = Duration.ofHours(1);

  private volatile ImagingStudyBuilder builder;

  /**
   * Every study received at or before it was considered by a complete run; null until the first
   * one.
   */
  private Instant horizon;

  private Instant lastFullScan = Instant.EPOCH;

  @Scheduled(
      identity = "ponte-publish-enqueue",
      every = "${ponte.node.publish.poll-interval:2s}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = PublishingNode.class)
  void scheduled() {
    try {
      enqueueQuietStudies(Instant.now());
    } catch (SQLException e) {
      LOG.warnf("publisher: could not read the node index (%s); will try again", e.getMessage());
    }
  }

  /**
   * Builds every study due at {@code now}, one transaction per study; returns how many rows it
   * wrote. Runs look only at studies received after the horizon of the last complete run (less a
   * margin for ingest transactions that commit a little after the time they recorded), with a full
   * scan at start and every hour as a safety net, so that the cost of a run follows the recent
   * traffic, not the archive size.
   */
  public synchronized int enqueueQuietStudies(Instant now) throws SQLException {
    Instant quietBefore = now.minus(config.quietPeriod());
    boolean fullScan =
        horizon == null || Duration.between(lastFullScan, now).compareTo(FULL_SCAN_EVERY) > 0;
    Instant after = fullScan ? null : horizon.minus(COMMIT_SKEW_MARGIN);
    Instant reached = quietBefore;
    boolean complete = false;
    int written = 0;
    // A full batch means more may be waiting: continue at once rather than a poll interval later.
    for (int round = 0; round < 100; round++) {
      List<PublisherIndexReader.Candidate> due;
      try (Connection c = dataSource.get().getConnection()) {
        due = index.studiesToBuild(c, after, quietBefore, config.batchSize());
      }
      int before = written;
      for (PublisherIndexReader.Candidate candidate : due) {
        if (enqueue(candidate.studyInstanceUid(), quietBefore, now)) {
          written++;
        } else if (candidate.lastReceivedAt().isBefore(reached)) {
          // skipped (locked by an ingest that may roll back): the horizon must not pass it
          reached = candidate.lastReceivedAt().minusNanos(1000);
        }
      }
      if (due.size() < config.batchSize()) {
        complete = true;
        break;
      }
      if (written == before) {
        break;
      }
    }
    if (complete) {
      horizon = reached;
      if (fullScan) {
        lastFullScan = now;
      }
    }
    return written;
  }

  /**
   * Builds every study not yet built for its latest instance, without waiting for a quiet period:
   * for an index rebuilt from Blob, whose studies are as complete as Blob holds them (an instance
   * that arrives later rebuilds its study as usual). The hub's conditional update keeps one
   * resource per study, and content it already has changes nothing there. Returns the rows written.
   */
  public synchronized int enqueueAllNow(Instant now) throws SQLException {
    int written = 0;
    while (true) {
      List<PublisherIndexReader.Candidate> due;
      try (Connection c = dataSource.get().getConnection()) {
        due = index.studiesToBuild(c, null, now, config.batchSize());
      }
      int before = written;
      for (PublisherIndexReader.Candidate candidate : due) {
        if (enqueue(candidate.studyInstanceUid(), now, now)) {
          written++;
        }
      }
      if (due.size() < config.batchSize() || written == before) {
        return written;
      }
    }
  }

  private boolean enqueue(String studyUid, Instant quietBefore, Instant now) throws SQLException {
    try (Connection c = dataSource.get().getConnection()) {
      c.setAutoCommit(false);
      try {
        Optional<StudySnapshot> snapshot = index.lockQuietStudy(c, studyUid, quietBefore);
        if (snapshot.isEmpty()) {
          c.rollback(); // being ingested right now: it will be quiet again later
          return false;
        }
        StudySnapshot study = snapshot.get();
        String payload = null;
        String hash = null;
        String error = null;
        try {
          ImagingStudy resource = builder().build(study);
          payload = fhir.encode(resource);
          hash = Sha256.hex(payload);
        } catch (UnpublishableStudyException e) {
          error = e.getMessage();
          LOG.warnf("publisher: study %s held back: %s", studyUid, error);
        } catch (RuntimeException e) {
          // A bug here must not block the other studies, nor be retried every poll: held, with the
          // reason.
          error = "could not build the ImagingStudy: " + e;
          LOG.errorf(e, "publisher: study %s could not be built", studyUid);
        }
        outbox.upsert(c, studyUid, payload, hash, study.lastReceivedAt(), error, now);
        c.commit();
        if (payload != null) {
          LOG.debugf(
              "publisher: study %s queued (%d series, %d instances)",
              studyUid, study.series().size(), study.numberOfInstances());
        }
        return true;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private ImagingStudyBuilder builder() {
    ImagingStudyBuilder b = builder;
    if (b == null) {
      String site = node.site();
      b =
          new ImagingStudyBuilder(
              site,
              config
                  .patientIdentifierSystem()
                  .orElse(ImagingStudyBuilder.defaultPatientIdentifierSystem(site)),
              config.zone());
      builder = b;
    }
    return b;
  }
}
