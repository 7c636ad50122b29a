package io.ponte.node.storage.blob;

import java.io.IOException;
import java.io.InputStream;
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
   * Opens the object for streaming from {@code offset}; {@code length < 0} reads to the end. Throws
   * {@link java.nio.file.NoSuchFileException} when there is no such object.
   */
  InputStream read(String name, long offset, long length) throws IOException;

  default InputStream read(String name) throws IOException {
    return read(name, 0, -1);
  }

  /** The object's metadata (e.g. {@code sha256}), or null when there is no such object. */
  Map<String, String> metadata(String name) throws IOException;

  /** Cheap reachability check for readiness: throws when the store cannot be used. */
  void ping() throws IOException;
}
