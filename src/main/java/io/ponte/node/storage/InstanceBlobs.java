package io.ponte.node.storage;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.storage.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;

/**
 * An instance's bytes in a Blob store: in the primary, its blob or its range of its pack (only that
 * range is read); in the replica, which keeps every instance as an object of its own, the object
 * under its own name.
 */
public final class InstanceBlobs {

  private InstanceBlobs() {}

  /** The whole instance from the primary store. */
  public static InputStream primary(BlobStore store, InstanceLocation at) throws IOException {
    return store.read(at.blobName(), at.blobOffset(0), at.blobLength(0, -1));
  }

  /** The whole instance from the replica store. */
  public static InputStream replica(BlobStore store, InstanceLocation at) throws IOException {
    return store.read(at.ownBlobName());
  }

  /** The whole instance from {@code store}, the storage's primary or its replica. */
  public static InputStream from(NodeStorage storage, BlobStore store, InstanceLocation at)
      throws IOException {
    return store == storage.blobStore() ? primary(store, at) : replica(store, at);
  }
}
