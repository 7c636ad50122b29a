package io.ponte.node.storage;

import io.ponte.node.index.TierIndex;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.BlobTier;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Applies the site's tier policy ({@link TierConfig}) in bounded runs: reviews the studies whose
 * review is due (at most {@code studies-per-run}), moves the blobs of those that have aged into a
 * colder tier (at most {@code batch-size} tier changes per run; a study left half done is finished
 * by the next run), records each instance's and study's tier in the index, and refreshes the
 * per-tier gauges. A study with an instance not yet in Blob waits for the next run. Blob failing
 * ends the run: nothing is recorded that did not happen.
 */
@ApplicationScoped
public class TierPolicyJob {

  private static final Logger LOG = Logger.getLogger(TierPolicyJob.class);

  @Inject NodeStorage storage;

  @Inject TierConfig config;

  @Inject TierIndex index;

  @Inject TierMetrics metrics;

  /** What a run did. */
  public record Run(int reviewed, int moved, long bytesMoved, boolean blobFailed) {}

  @Scheduled(
      every = "${ponte.node.storage.tiers.interval:1h}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!storage.isNode() || !config.enabled()) {
      return;
    }
    try {
      run(Instant.now());
    } catch (SQLException e) {
      LOG.warnf("tier policy run skipped: index unavailable (%s)", e.getMessage());
    }
  }

  /** One run as of {@code now} (tests pass their own clock's time). */
  public Run run(Instant now) throws SQLException {
    return run(now, config.batchSize());
  }

  /** One run as of {@code now} making at most {@code batchSize} tier changes. */
  public synchronized Run run(Instant now, int batchSize) throws SQLException {
    TierPolicy policy = TierPolicy.of(config);
    BlobStore blob = storage.blobStore();
    int budget = batchSize;
    int reviewed = 0;
    int moved = 0;
    long bytes = 0;
    boolean blobFailed = false;
    for (TierIndex.TierCandidate study : index.dueStudies(now, config.studiesPerRun())) {
      if (budget <= 0) {
        break;
      }
      reviewed++;
      Instant reference =
          TierPolicy.reference(study.studyDate(), study.createdAt(), study.lastAccessedAt());
      BlobTier target = policy.tierAt(reference, now);
      Instant next = policy.nextChange(reference, now);
      if (!target.colderThan(BlobTier.of(study.accessTier()))) {
        index.reschedule(study.studyInstanceUid(), next);
        continue;
      }
      if (!index.allUploaded(study.studyInstanceUid())) {
        index.reschedule(study.studyInstanceUid(), now.plus(config.interval()));
        continue;
      }
      List<TierIndex.TierCopy> copies =
          index.warmerThan(study.studyInstanceUid(), target.name(), budget + 1);
      boolean finished = copies.size() <= budget;
      List<String> changed = new ArrayList<>();
      // Packed instances share their pack: one tier change moves them all.
      java.util.Set<String> set = new java.util.HashSet<>();
      try {
        for (TierIndex.TierCopy copy : copies.subList(0, Math.min(budget, copies.size()))) {
          try {
            if (set.add(copy.blobName())) {
              blob.setTier(copy.blobName(), target);
            }
          } catch (NoSuchFileException e) {
            // the verifier's business (ponte node verify); the policy does not invent a tier
            LOG.warnf("tier policy: blob of %s is missing", copy.sopInstanceUid());
            finished = false;
            continue;
          }
          changed.add(copy.sopInstanceUid());
          bytes += copy.size();
        }
      } catch (IOException e) {
        LOG.warnf("tier policy run stopped: %s", e.getMessage());
        blobFailed = true;
        finished = false;
      }
      index.markInstances(changed, target.name());
      moved += changed.size();
      budget -= changed.size();
      if (finished) {
        index.markStudy(study.studyInstanceUid(), target.name(), next);
      }
      if (blobFailed) {
        break;
      }
    }
    metrics.update(index.totals());
    if (moved > 0) {
      LOG.infof("tier policy: %d instances (%d bytes) moved colder", moved, bytes);
    }
    return new Run(reviewed, moved, bytes, blobFailed);
  }
}
