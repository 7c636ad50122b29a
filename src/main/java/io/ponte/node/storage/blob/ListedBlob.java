package io.ponte.node.storage.blob;

import java.time.Instant;
import java.util.Map;

/**
 * An object as a container listing names it: name, size, when it was created (for an instance: its
 * upload), its metadata (the upload's {@code sha256}) and its access tier (null when the store has
 * none).
 */
public record ListedBlob(
    String name, long size, Instant createdAt, Map<String, String> metadata, BlobTier tier) {

  public ListedBlob {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
