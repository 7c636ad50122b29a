package io.ponte.node.retention;

import io.ponte.node.audit.NodeAuditEvent;
import io.ponte.node.storage.CacheLayout;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.ListedBlob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Deletes the studies whose retention ended and that are not on legal hold, when an operator asks
 * ({@code ponte node delete-expired}); never by itself. Crash-safe in three steps, each of which a
 * rerun finishes:
 *
 * <ol>
 *   <li>one transaction takes the study out of the index (listing its objects in the deletion
 *       queue) and queues its withdrawal from the hub: from then on the node neither lists nor
 *       serves nor publishes it, so it is never partly visible;
 *   <li>its cache files and Blob objects are removed (a missing one counts as removed), each under
 *       its instance's row lock and only while no index row names it (an instance of the study
 *       indexed again since step 1 has the same names: its objects stay), then whatever else Blob
 *       holds under its name that the index no longer names;
 *   <li>one transaction ends the deletion and writes its node audit record (sent on to the hub).
 * </ol>
 *
 * Retention and hold are re-checked under the study's row lock in step 1, so a hold set while a run
 * is listing still wins.
 */
@ApplicationScoped
public class ExpiredStudyDeletion {

  private static final Logger LOG = Logger.getLogger(ExpiredStudyDeletion.class);

  static final int PAGE = 200;

  @Inject RetentionIndex index;

  @Inject UndecidedStudies undecided;

  @Inject RetentionConfig config;

  @Inject NodeStorage storage;

  Clock clock = Clock.systemUTC();

  /** What a run found and did. */
  public record Report(int expired, int held, int deleted, int finished, int failed) {}

  public Report run(boolean dryRun, String by, Consumer<String> out) throws SQLException {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    if (!dryRun) {
      undecided.decideAll(config.batchSize());
    }
    int finished = 0;
    int failed = 0;
    if (!dryRun) {
      for (RetentionIndex.Deletion d : index.unfinished()) {
        out.accept("finishing the interrupted deletion of study " + d.studyInstanceUid());
        Removed removed = removeAndFinish(d, out);
        if (removed != null) {
          out.accept(
              "finished the deletion of study " + d.studyInstanceUid() + ": " + removed.summary());
          finished++;
        } else {
          failed++;
        }
      }
    }
    int expired = 0;
    int held = 0;
    int deleted = 0;
    List<RetentionIndex.StudyTerms> page = index.expired(today, null, null, PAGE);
    while (!page.isEmpty()) {
      for (RetentionIndex.StudyTerms t : page) {
        if (t.held()) {
          held++;
          out.accept(
              line("kept (legal hold)", t)
                  + "; held since "
                  + t.heldAt()
                  + " by "
                  + t.heldBy()
                  + ": "
                  + t.holdReason());
          continue;
        }
        expired++;
        if (dryRun) {
          out.accept(line("would delete", t));
          continue;
        }
        Instant now = clock.instant();
        if (!index.withdraw(t.studyInstanceUid(), today, by, now)) {
          out.accept(line("skipped (held or changed meanwhile)", t));
          continue;
        }
        RetentionIndex.Deletion d =
            new RetentionIndex.Deletion(
                t.studyInstanceUid(),
                t.patientId(),
                t.retentionClass(),
                t.endsOn(),
                t.instances(),
                by);
        Removed removed = removeAndFinish(d, out);
        if (removed != null) {
          deleted++;
          out.accept(line("deleted", t) + "; " + removed.summary());
        } else {
          failed++;
        }
      }
      RetentionIndex.StudyTerms last = page.get(page.size() - 1);
      page = index.expired(today, last.endsOn(), last.studyInstanceUid(), PAGE);
    }
    return new Report(expired, held, deleted, finished, failed);
  }

  private static String line(String what, RetentionIndex.StudyTerms t) {
    return String.format(
        "%s: study %s, patient %s, %s, retention ended %s, %d instances",
        what, t.studyInstanceUid(), t.patientId(), t.retentionClass(), t.endsOn(), t.instances());
  }

  /**
   * The rest of step 2: every object the store still holds under the study's prefix (all its
   * objects are named {@code study/series/...}) that nothing in the index names, e.g. a pack every
   * instance of which a repair moved out, at the primary or in the replica, which no instance's row
   * leads to any more. An object of an instance of the same study stored again since step 1, or of
   * a pack being written for one, is named in the index and stays.
   */
  private void sweep(BlobStore store, String study) throws IOException, SQLException {
    for (ListedBlob left : store.list(study + "/")) {
      if (index.unnamed(study, left.name())) {
        store.delete(left.name());
      }
    }
  }

  /**
   * What step 2 did with a deletion's instances: their objects removed, or kept because an instance
   * indexed again since names them (the study was sent again); the rest of the instances listed in
   * step 1 were removed by an earlier, interrupted run.
   */
  record Removed(int instances, int deleted, int kept) {

    int earlier() {
      return Math.max(0, instances - deleted - kept);
    }

    /** For the operator and the audit record: what was deleted, what was kept and why. */
    String summary() {
      StringBuilder s =
          new StringBuilder("the objects of ").append(count(deleted)).append(" deleted");
      if (earlier() > 0) {
        s.append(" (the other ")
            .append(count(earlier()))
            .append(" were handled by an interrupted run before)");
      }
      if (kept > 0) {
        s.append(", of ")
            .append(count(kept))
            .append(
                " kept: indexed again since (the study was sent again), they are its current"
                    + " copy and stay listed and served");
      }
      return s.toString();
    }

    private static String count(int n) {
      return n + (n == 1 ? " instance" : " instances");
    }
  }

  /** Steps 2 and 3; null when an object could not be removed (the next run tries again). */
  private Removed removeAndFinish(RetentionIndex.Deletion d, Consumer<String> out)
      throws SQLException {
    int[] tally = new int[2]; // deleted, kept
    BlobStore blob = storage.blobStore();
    BlobStore replica = storage.replicated() ? storage.replicaStore() : null;
    for (List<RetentionIndex.DeletionObject> objects = index.objects(d.studyInstanceUid(), PAGE);
        !objects.isEmpty();
        objects = index.objects(d.studyInstanceUid(), PAGE)) {
      try {
        for (RetentionIndex.DeletionObject o : objects) {
          index.removeUnlessNamed(
              d.studyInstanceUid(),
              o,
              named -> tally[remove(o, named, blob, replica, out) ? 1 : 0]++);
        }
      } catch (IOException | RuntimeException e) {
        out.accept(
            "FAILED to remove the objects of study "
                + d.studyInstanceUid()
                + " ("
                + e.getMessage()
                + "); it is no longer served, and the next run finishes it");
        return null;
      }
    }
    try {
      sweep(blob, d.studyInstanceUid());
      if (replica != null) {
        sweep(replica, d.studyInstanceUid());
      }
    } catch (IOException | RuntimeException e) {
      out.accept(
          "FAILED to remove what Blob still holds of study "
              + d.studyInstanceUid()
              + " ("
              + e.getMessage()
              + "); it is no longer served, and the next run finishes it");
      return null;
    }
    Removed removed = new Removed(d.instances(), tally[0], tally[1]);
    index.finish(
        d.studyInstanceUid(),
        new NodeAuditEvent(
            clock.instant(),
            NodeAuditEvent.DELETE,
            NodeAuditEvent.CLI,
            "success",
            null,
            null,
            null,
            null,
            d.withdrawnBy(),
            null,
            null,
            null,
            d.studyInstanceUid(),
            d.patientId(),
            d.instances(),
            null,
            "retention ended "
                + d.endsOn()
                + " ("
                + d.retentionClass()
                + "); index rows deleted; cache files, Blob objects"
                + (storage.replicated() ? " and their replica copies" : "")
                + ": "
                + removed.summary()
                + "; withdrawal from the hub queued"
                + (removed.kept() > 0 ? ", the instances indexed again published after it" : "")));
    LOG.infof("retention: study %s deleted: %s", d.studyInstanceUid(), removed.summary());
    return removed;
  }

  /**
   * One object's cache file, blob and replica copies, each unless the index names it now (true when
   * any was kept so): the study was sent again after step 1 (before ingest refused that) and its
   * instance stored under the same deterministic names, so these are its bytes, not the deleted
   * ones.
   */
  private boolean remove(
      RetentionIndex.DeletionObject o,
      RetentionIndex.Named named,
      BlobStore blob,
      BlobStore replica,
      Consumer<String> out)
      throws IOException, SQLException {
    boolean kept = false;
    if (o.cachePath() != null) {
      if (named.cachePath(o.cachePath())) {
        out.accept(kept("cache file " + o.cachePath()));
        kept = true;
      } else {
        CacheLayout cache = storage.layout();
        Path file = cache.resolve(o.cachePath());
        Files.deleteIfExists(file);
        removeEmpty(file.getParent(), cache.root());
      }
    }
    // A packed instance's blob is its series' pack (a pack holds one series): deleted with the
    // first of them, a no-op for the others.
    kept |= !deleteUnlessNamed(blob, o.blobName(), named, "", out);
    if (replica != null) {
      // The replica's copy goes too: an unreachable replica fails the step, and the next run
      // deletes what is left of both. A packed instance is in the same pack there, or (replicated
      // before it was packed) an object of its own beside it: both go.
      kept |= !deleteUnlessNamed(replica, o.blobName(), named, "the replica's ", out);
      if (o.blobName().endsWith(".pack")) {
        kept |=
            !deleteUnlessNamed(
                replica,
                o.blobName().replaceAll("[^/]*$", o.sopInstanceUid() + ".dcm"),
                named,
                "the replica's ",
                out);
      }
    }
    return kept;
  }

  /** False when the index names {@code name}, which is then kept. */
  private static boolean deleteUnlessNamed(
      BlobStore store, String name, RetentionIndex.Named named, String where, Consumer<String> out)
      throws IOException, SQLException {
    if (named.blob(name)) {
      out.accept(kept(where + "object " + name));
      return false;
    }
    store.delete(name);
    return true;
  }

  private static String kept(String what) {
    return "kept " + what + ": an instance indexed since names it (its study was sent again)";
  }

  /** Removes the series and study directories once empty; never the cache root. */
  private static void removeEmpty(Path dir, Path root) {
    for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
      try {
        Files.deleteIfExists(d);
      } catch (DirectoryNotEmptyException e) {
        return;
      } catch (IOException e) {
        return;
      }
    }
  }
}
