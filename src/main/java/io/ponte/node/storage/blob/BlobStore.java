package io.ponte.node.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;

/**
 * The object store behind the node's cache (Azure Blob in production, Azurite in development).
 * Small on purpose: the node writes whole instances and reads them back, whole or by byte range.
 */
public interface BlobStore {

  /**
   * Uploads {@code length} bytes from {@code data} (streamed, never held in memory) under {@code
   * name}.
   */
  void write(String name, InputStream data, long length, Map<String, String> metadata)
      throws IOException;

  /**
   * Uploads the first {@code length} bytes of {@code file} under {@code name}. A store may read the
   * file again for a retry instead of holding the bytes in memory.
   */
  default void write(
      String name, java.nio.file.Path file, long length, Map<String, String> metadata)
      throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      write(name, in, length, metadata);
    }
  }

  /**
   * Uploads {@code length} bytes from {@code data} as blocks, each sent with its MD5, which the
   * store checks against what it received (a block that arrived otherwise is refused, and the write
   * fails), then commits them in order: when this returns, the object holds exactly the bytes read
   * from {@code data}, proven without reading it back. A failure (of the store, or of {@code data}:
   * its exception is thrown as it is) leaves no object under {@code name} that was not there before
   * (staged blocks no commit named are discarded by the store).
   */
  default void writeChecked(
      String name, InputStream data, long length, Map<String, String> metadata) throws IOException {
    throw new UnsupportedOperationException("this store does not check blocks");
  }

  /**
   * Opens the object for streaming from {@code offset}; {@code length < 0} reads to the end. Throws
   * {@link java.nio.file.NoSuchFileException} when there is no such object.
   */
  InputStream read(String name, long offset, long length) throws IOException;

  default InputStream read(String name) throws IOException {
    return read(name, 0, -1);
  }

  /** The object's metadata (e.g. {@code sha256}), or null when there is no such object. */
  Map<String, String> metadata(String name) throws IOException;

  /**
   * The object's size, metadata and the MD5 the store computed of what it received (null when it
   * keeps none, as for block-staged uploads), or null when there is no such object: what verifies a
   * copy without reading it back.
   */
  default BlobStat stat(String name) throws IOException {
    throw new UnsupportedOperationException("this store does not stat");
  }

  /**
   * Moves the object to a colder (or, out of ARCHIVE, see {@link #rehydrate}) access tier. {@link
   * java.nio.file.NoSuchFileException} when there is no such object.
   */
  default void setTier(String name, BlobTier tier) throws IOException {
    throw new UnsupportedOperationException("this store has no access tiers");
  }

  /** The object's tier now, or null when there is no such object. */
  default TierStatus tier(String name) throws IOException {
    return new TierStatus(BlobTier.HOT, false);
  }

  /**
   * Starts moving an archived object back to {@code target} (asking again while it is pending is
   * harmless); returns when it is expected to be readable.
   */
  default Instant rehydrate(String name, BlobTier target) throws IOException {
    throw new UnsupportedOperationException("this store has no access tiers");
  }

  /** Deletes the object; no error when it is already gone. */
  default void delete(String name) throws IOException {
    throw new UnsupportedOperationException("this store does not delete");
  }

  /**
   * Every object in the container, page by page as the store lists them (never all held at once),
   * with its metadata and tier: what rebuilding a lost index starts from.
   */
  default Iterable<ListedBlob> list() throws IOException {
    throw new UnsupportedOperationException("this store does not list");
  }

  /** As {@link #list()}, only the objects whose names start with {@code prefix}. */
  default Iterable<ListedBlob> list(String prefix) throws IOException {
    throw new UnsupportedOperationException("this store does not list");
  }

  /** Cheap reachability check for readiness: throws when the store cannot be used. */
  void ping() throws IOException;
}
