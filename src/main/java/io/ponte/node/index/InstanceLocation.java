package io.ponte.node.index;

/**
 * Where an instance's bytes are: the cache path (null once evicted) and the blob name, with the
 * size and SHA-256 the index promises for them.
 */
public record InstanceLocation(
    String sopInstanceUid, long size, String sha256, String cachePath, String blobName) {}
