package io.ponte.node.storage;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.storage.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/**
 * An instance's bytes in a Blob store: in the primary, its blob or its range of its pack (only that
 * range is read); in the replica, its range of the same pack once the replica holds that pack, else
 * the object of its own it was replicated as.
 */
public final class InstanceBlobs {

  private InstanceBlobs() {}

  /** The whole instance from the primary store. */
  public static InputStream primary(BlobStore store, InstanceLocation at) throws IOException {
    return store.read(at.blobName(), at.blobOffset(0), at.blobLength(0, -1));
  }

  /** The whole instance from the replica store. */
  public static InputStream replica(BlobStore store, InstanceLocation at) throws IOException {
    InputStream packed = replicaPacked(store, at, 0, -1);
    return packed != null ? packed : store.read(at.ownBlobName());
  }

  /**
   * {@code length} bytes from {@code offset} of a packed instance from its pack in the replica, or
   * null when the instance is not packed or the replica does not hold its pack (yet: it was
   * replicated as an object of its own). The pack first: that is where a packed instance ends up.
   */
  public static InputStream replicaPacked(
      BlobStore store, InstanceLocation at, long offset, long length) throws IOException {
    if (!at.packed()) {
      return null;
    }
    try {
      return store.read(at.blobName(), at.blobOffset(offset), at.blobLength(offset, length));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** The whole instance from {@code store}, the storage's primary or its replica. */
  public static InputStream from(NodeStorage storage, BlobStore store, InstanceLocation at)
      throws IOException {
    return store == storage.blobStore() ? primary(store, at) : replica(store, at);
  }
}
