package io.ponte.node.fixity;

import io.ponte.node.index.FixityIndex;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.StoreVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * One instance's fixity check: both copies re-read, each bad one counted and logged, then the
 * {@link RepairDecision} carried out. A repair runs under the instance's row lock, so that the
 * evictor cannot delete the intact cache file a blob is being re-uploaded from; the cache is
 * restored by the verifier's own restore (streamed from Blob, SHA-256 checked, atomic rename).
 */
@ApplicationScoped
class InstanceFixity {

  private static final Logger LOG = Logger.getLogger(InstanceFixity.class);

  @Inject CopyReader reader;

  @Inject FixityIndex index;

  @Inject NodeStorage storage;

  @Inject StoreVerifier verifier;

  @Inject FixityMetrics metrics;

  /** What one check found and did; {@code outcome} is one of FixityIndex's outcomes. */
  record Result(CopyState cache, CopyState blob, RepairDecision decision, String outcome) {}

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
      return new Result(cache, blob, RepairDecision.DEFER, FixityIndex.DEFERRED);
    }
    if (blob == CopyState.ARCHIVED) {
      metrics.skipped("archived");
    }
    if (cache != CopyState.NOT_HELD || !blob.unchecked()) {
      metrics.checked();
    }
    report(what, "cache", cache);
    report(what, "blob", blob);
    RepairDecision decision = RepairDecision.of(cache, blob);
    String outcome =
        switch (decision) {
          case NONE -> blob.unchecked() ? FixityIndex.DEFERRED : FixityIndex.OK;
          case DEFER -> FixityIndex.DEFERRED;
          case UNREPAIRABLE -> {
            metrics.unrepairable();
            LOG.errorf(
                "fixity: %s has no intact copy (cache %s, blob %s): have the sender send it again",
                what, describe(cache), describe(blob));
            yield FixityIndex.UNREPAIRABLE;
          }
          case RESTORE_CACHE -> repaired(what, "cache", repair && restoreCache(at));
          case REUPLOAD_BLOB -> repaired(what, "blob", repair && reupload(at));
        };
    return new Result(cache, blob, decision, outcome);
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

  private String repaired(String what, String copy, boolean done) {
    if (!done) {
      // Not repaired now (repair off, or it failed): the copy stays bad until a later check.
      return FixityIndex.DEFERRED;
    }
    metrics.repaired(copy);
    LOG.warnf(
        "fixity: %s: %s",
        what,
        copy.equals("cache")
            ? "cache file rewritten from the intact blob"
            : "blob uploaded again from the intact cache file");
    return FixityIndex.REPAIRED;
  }

  private boolean restoreCache(InstanceLocation at) throws Exception {
    return index.repairUnderLock(
        at.sopInstanceUid(),
        at.cachePath(),
        () -> verifier.restoreCacheFromBlob(at, line -> LOG.warnf("fixity: %s", line)));
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
            storage.blobStore().write(at.blobName(), in, at.size(), Map.of("sha256", at.sha256()));
            return true;
          } catch (IOException e) {
            LOG.warnf("fixity: upload of %s failed: %s", at.sopInstanceUid(), e.getMessage());
            return false;
          }
        });
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
