package io.ponte.node.fixity;

import java.util.Optional;

/**
 * What to do about an instance given its three copies (cache file, primary blob, replica blob):
 * each bad copy is rewritten from a copy just read intact, the cheapest first (the local cache
 * file, then the primary, then the replica). With no intact copy left the instance is unrepairable;
 * when a copy that could not be read now might be the intact one, the decision waits for a later
 * check. Without a replica (its state NOT_HELD) this is exactly {@link RepairDecision}.
 */
public record RepairPlan(
    Optional<Copy> cacheFrom,
    Optional<Copy> blobFrom,
    Optional<Copy> replicaFrom,
    RepairDecision verdict) {

  /** The three copies an instance may have. */
  public enum Copy {
    CACHE,
    BLOB,
    REPLICA
  }

  public static RepairPlan of(CopyState cache, CopyState blob, CopyState replica) {
    boolean anyBad = cache.bad() || blob.bad() || replica.bad();
    if (!anyBad) {
      return new RepairPlan(
          Optional.empty(), Optional.empty(), Optional.empty(), RepairDecision.NONE);
    }
    Optional<Copy> cacheFrom =
        cache.bad() ? source(Copy.CACHE, cache, blob, replica) : Optional.empty();
    Optional<Copy> blobFrom =
        blob.bad() ? source(Copy.BLOB, cache, blob, replica) : Optional.empty();
    Optional<Copy> replicaFrom =
        replica.bad() ? source(Copy.REPLICA, cache, blob, replica) : Optional.empty();
    if (cacheFrom.isEmpty() && blobFrom.isEmpty() && replicaFrom.isEmpty()) {
      // No intact copy to repair from: unless one not read now may be it.
      boolean unread = cache.unchecked() || blob.unchecked() || replica.unchecked();
      return new RepairPlan(
          cacheFrom,
          blobFrom,
          replicaFrom,
          unread ? RepairDecision.DEFER : RepairDecision.UNREPAIRABLE);
    }
    return new RepairPlan(cacheFrom, blobFrom, replicaFrom, verdict(cacheFrom, blobFrom));
  }

  /** The two-copy verdict a plan amounts to (what the outcome and the two-copy tests name). */
  private static RepairDecision verdict(Optional<Copy> cacheFrom, Optional<Copy> blobFrom) {
    if (cacheFrom.isPresent()) {
      return RepairDecision.RESTORE_CACHE;
    }
    return blobFrom.isPresent() ? RepairDecision.REUPLOAD_BLOB : RepairDecision.REWRITE_REPLICA;
  }

  /** The first intact copy other than {@code bad}, cheapest first. */
  private static Optional<Copy> source(
      Copy bad, CopyState cache, CopyState blob, CopyState replica) {
    if (bad != Copy.CACHE && cache == CopyState.INTACT) {
      return Optional.of(Copy.CACHE);
    }
    if (bad != Copy.BLOB && blob == CopyState.INTACT) {
      return Optional.of(Copy.BLOB);
    }
    if (bad != Copy.REPLICA && replica == CopyState.INTACT) {
      return Optional.of(Copy.REPLICA);
    }
    return Optional.empty();
  }

  /** Whether some copy is to be rewritten. */
  public boolean repairs() {
    return cacheFrom.isPresent() || blobFrom.isPresent() || replicaFrom.isPresent();
  }
}
