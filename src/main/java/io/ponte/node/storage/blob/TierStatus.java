package io.ponte.node.storage.blob;

/**
 * An object's access tier as Blob reports it; {@code rehydrating} while a move out of ARCHIVE is
 * still pending (the object stays unreadable until it completes).
 */
public record TierStatus(BlobTier tier, boolean rehydrating) {

  /** Whether the object can be read now. */
  public boolean online() {
    return tier != BlobTier.ARCHIVE && !rehydrating;
  }
}
