package io.ponte.node.fixity;

import io.ponte.node.index.FixityIndex;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.ReplicaPackIndex;
import io.ponte.node.index.ReplicaQueue;
import io.ponte.node.storage.InstanceBlobs;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.StoreVerifier;
import io.ponte.node.storage.VerifiedCopy;
import io.ponte.node.storage.blob.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * One instance's fixity check: its copies re-read (cache file, blob, and the replica's once
 * replicated), each bad one counted and logged, then the {@link RepairPlan} carried out. A repair
 * runs under the instance's row lock, so that the evictor cannot delete the intact cache file a
 * blob is being re-uploaded from; the cache is restored by the verifier's own restore (streamed
 * from Blob, SHA-256 checked, atomic rename).
 */
@ApplicationScoped
class InstanceFixity {

  private static final Logger LOG = Logger.getLogger(InstanceFixity.class);

  @Inject CopyReader reader;

  @Inject FixityIndex index;

  @Inject NodeStorage storage;

  @Inject StoreVerifier verifier;

  @Inject FixityMetrics metrics;

  @Inject ReplicaQueue replicas;

  @Inject ReplicaPackIndex replicaPacks;

  /** What one check found and did; {@code outcome} is one of FixityIndex's outcomes. */
  record Result(
      CopyState cache, CopyState blob, CopyState replica, RepairPlan plan, String outcome) {}

  Result check(FixityIndex.Candidate instance, boolean repair) throws Exception {
    InstanceLocation at = instance.location();
    CopyState cache = reader.cache(at);
    if (cache.bad() && evictedMeanwhile(at)) {
      cache = CopyState.NOT_HELD;
    }
    CopyState blob = reader.blob(instance);
    String what =
        "instance " + at.sopInstanceUid() + " (study " + instance.studyInstanceUid() + ")";
    if (blob == CopyState.UNREACHABLE) {
      // Nothing is concluded while Blob is away: the run stops and this instance stays due.
      metrics.skipped("blob-unreachable");
      return new Result(
          cache,
          blob,
          CopyState.NOT_HELD,
          RepairPlan.of(cache, blob, CopyState.NOT_HELD),
          FixityIndex.DEFERRED);
    }
    if (blob == CopyState.ARCHIVED) {
      metrics.skipped("archived");
    }
    CopyState replica = reader.replica(instance);
    if (replica == CopyState.UNREACHABLE) {
      // The replica account away does not stop the run: the primary copies are still checked.
      metrics.skipped("replica-unreachable");
    }
    if (cache != CopyState.NOT_HELD || !blob.unchecked()) {
      metrics.checked();
    }
    report(what, "cache", cache);
    report(what, "blob", blob);
    report(what, "replica", replica);
    RepairPlan plan = RepairPlan.of(cache, blob, replica);
    String outcome =
        switch (plan.verdict()) {
          case NONE -> blob.unchecked() ? FixityIndex.DEFERRED : FixityIndex.OK;
          case DEFER -> FixityIndex.DEFERRED;
          case UNREPAIRABLE -> {
            metrics.unrepairable();
            LOG.errorf(
                "fixity: %s has no intact copy (cache %s, blob %s, replica %s): have the sender"
                    + " send it again",
                what, describe(cache), describe(blob), describe(replica));
            yield FixityIndex.UNREPAIRABLE;
          }
          default ->
              repair && carryOut(what, at, plan) ? FixityIndex.REPAIRED : FixityIndex.DEFERRED;
        };
    return new Result(cache, blob, replica, plan, outcome);
  }

  /**
   * Rewrites each bad copy from its planned source; true when all were rewritten (a failed one
   * stays bad until a later check, and a replica copy is queued for the replication worker).
   */
  private boolean carryOut(String what, InstanceLocation at, RepairPlan plan) throws Exception {
    boolean all = true;
    if (plan.blobFrom().isPresent()) {
      RepairPlan.Copy from = plan.blobFrom().get();
      // A packed instance is rewritten as an object of its own (a pack is never rewritten for one
      // instance) and leaves its pack under the same row lock; its bytes there become dead space.
      boolean done =
          from == RepairPlan.Copy.CACHE
              ? reupload(at)
              : copyUnderLock(at, storage.replicaStore(), storage.blobStore(), true);
      all &= repaired(what, "blob", from, done);
    }
    if (plan.cacheFrom().isPresent()) {
      RepairPlan.Copy from = plan.cacheFrom().get();
      boolean done =
          restoreCache(
              at, from == RepairPlan.Copy.BLOB ? storage.blobStore() : storage.replicaStore());
      all &= repaired(what, "cache", from, done);
    }
    if (plan.replicaFrom().isPresent()) {
      RepairPlan.Copy from = plan.replicaFrom().get();
      boolean done =
          from == RepairPlan.Copy.CACHE
              ? rewriteReplicaFromCache(at)
              : copyUnderLock(at, storage.blobStore(), storage.replicaStore(), false);
      if (!done) {
        replicas.requeue(at.sopInstanceUid());
      } else if (at.packed()) {
        // Rewritten as an object of its own: its pack is copied to the replica again (over a
        // damaged one) and that object deleted then.
        replicaPacks.leavePack(at.sopInstanceUid());
      }
      all &= repaired(what, "replica", from, done);
    }
    return all;
  }

  /** The cache file is gone because the evictor released it after the sample was read. */
  private boolean evictedMeanwhile(InstanceLocation at) throws Exception {
    return !Objects.equals(index.cachePath(at.sopInstanceUid()).orElse(null), at.cachePath());
  }

  private void report(String what, String copy, CopyState state) {
    if (state.bad()) {
      metrics.mismatch(copy, state);
      LOG.warnf("fixity: %s: %s copy %s", what, copy, describe(state));
    }
  }

  private boolean repaired(String what, String copy, RepairPlan.Copy from, boolean done) {
    if (!done) {
      // Not repaired now: the copy stays bad until a later check.
      return false;
    }
    metrics.repaired(copy);
    LOG.warnf(
        "fixity: %s: %s copy rewritten from the intact %s copy",
        what, copy, from.name().toLowerCase(java.util.Locale.ROOT));
    return true;
  }

  private boolean restoreCache(InstanceLocation at, BlobStore from) throws Exception {
    return index.repairUnderLock(
        at.sopInstanceUid(),
        at.cachePath(),
        () -> verifier.restoreCacheFrom(from, at, line -> LOG.warnf("fixity: %s", line)));
  }

  /** One Blob store's intact copy written, proven, over another's bad one. */
  private boolean copyUnderLock(
      InstanceLocation at, BlobStore from, BlobStore to, boolean toPrimary) throws Exception {
    return index.repairUnderLock(
        at.sopInstanceUid(),
        at.cachePath(),
        () -> {
          try {
            VerifiedCopy.write(InstanceBlobs.from(storage, from, at), to, at);
            return true;
          } catch (IOException e) {
            LOG.warnf("fixity: copy of %s failed: %s", at.sopInstanceUid(), e.getMessage());
            return false;
          }
        },
        toPrimary && at.packed() ? at.blobName() : null);
  }

  private boolean rewriteReplicaFromCache(InstanceLocation at) throws Exception {
    return index.repairUnderLock(
        at.sopInstanceUid(),
        at.cachePath(),
        () -> {
          if (reader.cache(at) != CopyState.INTACT) {
            return false;
          }
          try {
            VerifiedCopy.write(
                Files.newInputStream(storage.layout().resolve(at.cachePath())),
                storage.replicaStore(),
                at);
            return true;
          } catch (IOException e) {
            LOG.warnf("fixity: replica copy of %s failed: %s", at.sopInstanceUid(), e.getMessage());
            return false;
          }
        });
  }

  private boolean reupload(InstanceLocation at) throws Exception {
    return index.repairUnderLock(
        at.sopInstanceUid(),
        at.cachePath(),
        () -> {
          // Checked again under the lock: the file re-uploaded must be the intact one.
          if (reader.cache(at) != CopyState.INTACT) {
            return false;
          }
          try (InputStream in = Files.newInputStream(storage.layout().resolve(at.cachePath()))) {
            storage
                .blobStore()
                .write(at.ownBlobName(), in, at.size(), Map.of("sha256", at.sha256()));
            return true;
          } catch (IOException e) {
            LOG.warnf("fixity: upload of %s failed: %s", at.sopInstanceUid(), e.getMessage());
            return false;
          }
        },
        at.packed() ? at.blobName() : null);
  }

  private static String describe(CopyState state) {
    return switch (state) {
      case INTACT -> "intact";
      case DAMAGED -> "damaged (SHA-256 differs from the index)";
      case MISSING -> "missing";
      case NOT_HELD -> "not held";
      case ARCHIVED -> "archived (not read)";
      case UNREACHABLE -> "unreachable";
    };
  }
}
