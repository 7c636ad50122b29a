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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
      Moved result = move(study.studyInstanceUid(), target, next, budget);
      moved += result.instances();
      bytes += result.bytes();
      budget -= result.instances();
      if (result.blobFailure() != null) {
        LOG.warnf("tier policy run stopped: %s", result.blobFailure());
        blobFailed = true;
        break;
      }
    }
    metrics.update(index.totals());
    if (moved > 0) {
      LOG.infof("tier policy: %d instances (%d bytes) moved colder", moved, bytes);
    }
    return new Run(reviewed, moved, bytes, blobFailed);
  }

  /**
   * What moving one study's blobs did: instances and bytes moved, SOP Instance UIDs whose blob was
   * missing, Blob's failure if it stopped the move, and whether the whole study is now in the tier.
   */
  public record Moved(
      int instances, long bytes, List<String> missing, String blobFailure, boolean finished) {}

  /** The outcome of {@link #archive}: refused before anything changed, or what the move did. */
  public sealed interface Archived {

    /** The index holds no such study. */
    record UnknownStudy() implements Archived {}

    /** {@code notInBlob} of the study's {@code instances} are not yet safe in Blob. */
    record NotInBlob(int notInBlob, int instances) implements Archived {}

    /** The study's blobs were moved (all of them when {@code moved.finished()}). */
    record Done(Moved moved, int instances) implements Archived {}
  }

  /**
   * Moves every blob of {@code study} to Archive now, as a run does once a study has aged into it,
   * whatever the policy or its {@code enabled} say (an operator's {@code ponte node archive}): the
   * same move and index marks, the next review {@link TierPolicy#ARCHIVE_REVIEW} away. Refused,
   * with nothing changed, while an instance of the study is not yet in Blob (its only copy is the
   * cache's, which Archive would not make safer), as a run leaves such a study for later.
   */
  public synchronized Archived archive(String study, Instant now, String by) throws SQLException {
    int instances = index.instanceTiers(study).size();
    if (index.studyTier(study) == null || instances == 0) {
      return new Archived.UnknownStudy();
    }
    int notInBlob = index.notInBlob(study);
    if (notInBlob > 0) {
      return new Archived.NotInBlob(notInBlob, instances);
    }
    Moved moved =
        move(study, BlobTier.ARCHIVE, now.plus(TierPolicy.ARCHIVE_REVIEW), Integer.MAX_VALUE - 1);
    metrics.update(index.totals());
    if (moved.blobFailure() != null) {
      LOG.warnf("archiving study %s stopped: %s", study, moved.blobFailure());
    }
    if (moved.instances() > 0) {
      LOG.infof(
          "tier policy: study %s, %d instances (%d bytes) moved to Archive by %s",
          study, moved.instances(), moved.bytes(), by);
    }
    return new Archived.Done(moved, instances);
  }

  /**
   * Moves the study's blobs warmer than {@code target} into it, at most {@code budget} tier
   * changes, and records each moved instance's tier; the study's own tier and next review ({@code
   * next}) only once none is left warmer. A missing blob is skipped (the verifier's business); Blob
   * failing stops the move with what was done so far recorded.
   */
  Moved move(String study, BlobTier target, Instant next, int budget) throws SQLException {
    try (TierIndex.StudyLock lock = index.lockStudy(study)) {
      // Decided before the lock: another process (ponte node archive) may have moved the study
      // colder than the target meanwhile. A move never warms a study.
      String now = index.studyTier(study);
      if (now != null && BlobTier.of(now).colderThan(target)) {
        return new Moved(0, 0, List.of(), null, false);
      }
      return moveLocked(storage.blobStore(), study, target, next, budget);
    }
  }

  /** {@link #move} under the study's lock. */
  private Moved moveLocked(BlobStore blob, String study, BlobTier target, Instant next, int budget)
      throws SQLException {
    List<TierIndex.TierCopy> copies = index.warmerThan(study, target.name(), budget + 1);
    boolean finished = copies.size() <= budget;
    List<String> changed = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    long bytes = 0;
    String failure = null;
    // Packed instances share their pack: one tier change moves them all.
    Set<String> set = new HashSet<>();
    try {
      for (TierIndex.TierCopy copy : copies.subList(0, Math.min(budget, copies.size()))) {
        try {
          if (set.add(copy.blobName())) {
            blob.setTier(copy.blobName(), target);
          }
        } catch (NoSuchFileException e) {
          // the verifier's business (ponte node verify); the policy does not invent a tier
          LOG.warnf("tier policy: blob of %s is missing", copy.sopInstanceUid());
          missing.add(copy.sopInstanceUid());
          finished = false;
          continue;
        }
        changed.add(copy.sopInstanceUid());
        bytes += copy.size();
      }
    } catch (IOException e) {
      failure = e.getMessage() == null ? e.toString() : e.getMessage();
      finished = false;
    }
    index.markInstances(changed, target.name());
    if (finished) {
      index.markStudy(study, target.name(), next);
    }
    return new Moved(changed.size(), bytes, missing, failure, finished);
  }
}
