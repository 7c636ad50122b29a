package io.ponte.node.fixity;

/**
 * What to do about an instance given the state of its two copies: a bad copy is rewritten from the
 * other only when that one was just read intact; with no intact copy left the instance is
 * unrepairable; when the other copy could not be read now, the decision waits for a later check.
 */
public enum RepairDecision {
  /** Nothing is bad. */
  NONE,
  /** The cache file is bad and the blob intact: fetch the cache file again from Blob. */
  RESTORE_CACHE,
  /** The blob is bad and the cache file intact: upload the blob again from the cache. */
  REUPLOAD_BLOB,
  /** Only the replica's copy is bad: write it again from an intact copy. */
  REWRITE_REPLICA,
  /** A copy is bad and no intact copy is left: only a re-send from the source can help. */
  UNREPAIRABLE,
  /** A copy is bad, the other could not be read now: decide in a later check. */
  DEFER;

  /** The decision for an instance without a replica (see {@link RepairPlan} for three copies). */
  public static RepairDecision of(CopyState cache, CopyState blob) {
    return RepairPlan.of(cache, blob, CopyState.NOT_HELD).verdict();
  }
}
