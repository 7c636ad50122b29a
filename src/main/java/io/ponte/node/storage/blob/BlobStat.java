package io.ponte.node.storage.blob;

import java.util.Map;

/**
 * What the store says of an object without reading it: its size, metadata and, when the store
 * computed one on upload, the MD5 of the bytes it received (hex).
 */
public record BlobStat(long size, Map<String, String> metadata, String contentMd5) {

  public BlobStat {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
