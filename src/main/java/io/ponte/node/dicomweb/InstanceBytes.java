package io.ponte.node.dicomweb;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a stored instance's bytes, whole or by range, from the local cache or (once evicted) from
 * Blob. Never materialises an instance: both return streams.
 */
public interface InstanceBytes {

  /**
   * The whole Part 10 file; {@link java.nio.file.NoSuchFileException} when the node does not hold
   * it.
   */
  InputStream open(String sopInstanceUid) throws IOException;

  /** {@code length} bytes from {@code offset} of the Part 10 file. */
  InputStream openRange(String sopInstanceUid, long offset, long length) throws IOException;

  /**
   * Records once that a retrieve reads what the path addresses ({@code series} and {@code sop} may
   * be null), for least-recently-used eviction; opening an instance does not.
   */
  void recordAccess(String study, String series, String sop);
}
