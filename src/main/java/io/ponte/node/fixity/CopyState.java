package io.ponte.node.fixity;

/** What re-reading one copy of an instance (its cache file or its blob) found. */
public enum CopyState {
  /** The bytes have the indexed size and SHA-256. */
  INTACT,
  /** The copy is there but its bytes differ from the index (or cannot be read from the disk). */
  DAMAGED,
  /** The index expects the copy, but it is not there. */
  MISSING,
  /** The index expects no such copy: the cache file was evicted, or the upload is still pending. */
  NOT_HELD,
  /** The blob is in the Archive tier (or being rehydrated): it cannot be read without a wait. */
  ARCHIVED,
  /** Blob did not answer: neither proof of presence nor of damage. */
  UNREACHABLE;

  /** A mismatch: the copy should be there intact and is not. */
  public boolean bad() {
    return this == DAMAGED || this == MISSING;
  }

  /** Not read now, for a reason that says nothing about the bytes. */
  public boolean unchecked() {
    return this == ARCHIVED || this == UNREACHABLE;
  }
}
