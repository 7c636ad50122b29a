package io.ponte.node.dicomweb;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.WadoInstance;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads a stored instance's bytes, whole or by range, from the local cache or (once evicted) from
 * Blob. Never materialises an instance: both return streams.
 */
public interface InstanceBytes {

  /**
   * The whole Part 10 file at {@code location} (as the index gave it, so opening asks the index
   * nothing); {@link java.nio.file.NoSuchFileException} when neither copy exists.
   */
  InputStream open(InstanceLocation location) throws IOException;

  /** {@code length} bytes from {@code offset} of the Part 10 file at {@code location}. */
  InputStream openRange(InstanceLocation location, long offset, long length) throws IOException;

  /**
   * Records once that a retrieve reads what the path addresses ({@code series} and {@code sop} may
   * be null), for least-recently-used eviction; opening an instance does not.
   */
  void recordAccess(String study, String series, String sop);

  /**
   * Starts restoring the instances only held in an offline (archive) tier; empty when all can be
   * read now, else when they are expected to be.
   */
  default Optional<Instant> restore(String study, List<WadoInstance> instances) throws IOException {
    return Optional.empty();
  }
}
