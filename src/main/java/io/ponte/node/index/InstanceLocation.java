package io.ponte.node.index;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where an instance's bytes are: the cache path (null once evicted) and the blob name, with the
 * size and SHA-256 the index promises for them. A packed instance's blob is its series' pack, its
 * bytes {@code size} bytes from {@code packOffset} in it; {@code packOffset < 0}: a blob of its
 * own, the whole object.
 */
public record InstanceLocation(
    String sopInstanceUid,
    long size,
    String sha256,
    String cachePath,
    String blobName,
    long packOffset) {

  /** An instance with a blob of its own. */
  public InstanceLocation(
      String sopInstanceUid, long size, String sha256, String cachePath, String blobName) {
    this(sopInstanceUid, size, sha256, cachePath, blobName, -1);
  }

  /**
   * Reads {@code sop_instance_uid, size_bytes, sha256, cache_path, blob_name} from column {@code
   * first} on: an instance with a blob of its own.
   */
  static InstanceLocation read(ResultSet rs, int first) throws SQLException {
    return read(rs, first, 0);
  }

  /** The same five columns, with a nullable pack_offset at column {@code packOffsetColumn}. */
  static InstanceLocation read(ResultSet rs, int first, int packOffsetColumn) throws SQLException {
    return new InstanceLocation(
        rs.getString(first),
        rs.getLong(first + 1),
        rs.getString(first + 2),
        rs.getString(first + 3),
        rs.getString(first + 4),
        packOffsetColumn > 0 ? packOffset(rs, packOffsetColumn) : -1);
  }

  /** Reads a nullable pack_offset column. */
  static long packOffset(ResultSet rs, int column) throws SQLException {
    long offset = rs.getLong(column);
    return rs.wasNull() ? -1 : offset;
  }

  public boolean packed() {
    return packOffset >= 0;
  }

  /** Where in {@link #blobName} the instance's byte {@code offset} is. */
  public long blobOffset(long offset) {
    return packed() ? packOffset + offset : offset;
  }

  /**
   * How many bytes to read from {@link #blobOffset} for {@code length} bytes of the instance
   * ({@code length < 0}: to its end): bounded in a pack, where the object goes on past it, to the
   * instance's own bytes (a range past its end reads short, never into the next instance).
   */
  public long blobLength(long offset, long length) {
    if (!packed()) {
      return length;
    }
    long left = Math.max(0, size - offset);
    return length < 0 ? left : Math.min(length, left);
  }

  /**
   * The name the instance has as an object of its own ({@code study/series/sop.dcm}): its blob's
   * name, or for a packed one the same name beside its pack ({@code study/series/pack-….pack}). The
   * replica keeps instances not in a pack there under this name, and a repair out of a pack writes
   * it.
   */
  public String ownBlobName() {
    if (!packed()) {
      return blobName;
    }
    return blobName.substring(0, blobName.lastIndexOf('/') + 1) + sopInstanceUid + ".dcm";
  }

  /** The same instance with a blob of its own under {@link #ownBlobName}. */
  public InstanceLocation unpacked() {
    return new InstanceLocation(sopInstanceUid, size, sha256, cachePath, ownBlobName(), -1);
  }
}
