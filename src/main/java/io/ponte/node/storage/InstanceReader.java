package io.ponte.node.storage;

import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.TierIndex;
import io.ponte.node.storage.blob.BlobStat;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.stream.BlockFilterInputStream;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Opens a stored instance for reading, whole or by byte range: from the local cache when it is
 * there, else streamed from Blob (from the replica account when the primary fails). Opening does
 * not write: a retrieve records its access once, for everything it addresses, through {@link
 * #recordAccess}, which keeps the study in the cache longer.
 */
@ApplicationScoped
public class InstanceReader {

  private static final Logger LOG = Logger.getLogger(InstanceReader.class);

  @Inject NodeStorage storage;

  @Inject InstanceIndex index;

  @Inject TierIndex tiers;

  @Inject TierConfig tierConfig;

  @Inject NodeStorageConfig storageConfig;

  @Inject ReplicaMetrics replicaMetrics;

  Clock clock = Clock.systemUTC();

  /** An open instance: its bytes, size and SHA-256, and whether they come from the cache. */
  public record Opened(InputStream content, long size, String sha256, boolean fromCache) {}

  /** Empty when the node does not hold this SOP Instance UID. */
  public Optional<Opened> open(String sopInstanceUid) throws IOException {
    Optional<InstanceIndex.Row> found;
    try {
      found = index.find(sopInstanceUid);
    } catch (SQLException e) {
      throw new IOException("the index is unavailable", e);
    }
    return found.isEmpty() ? Optional.empty() : Optional.of(open(found.get().location()));
  }

  /**
   * The instance at {@code location}, as the index gave it; {@link NoSuchFileException} when
   * neither the cache nor Blob has it.
   */
  public Opened open(InstanceLocation location) throws IOException {
    if (location.cachePath() != null) {
      try {
        return new Opened(
            Files.newInputStream(storage.layout().resolve(location.cachePath())),
            location.size(),
            location.sha256(),
            true);
      } catch (NoSuchFileException e) {
        // evicted between the lookup and the open: Blob has it
      }
    }
    return new Opened(fromBlob(location, 0, -1), location.size(), location.sha256(), false);
  }

  /** {@code length} bytes from {@code offset}: from the cached file by position, else from Blob. */
  public InputStream openRange(InstanceLocation location, long offset, long length)
      throws IOException {
    if (location.cachePath() != null) {
      try {
        return openCached(storage.layout().resolve(location.cachePath()), offset, length);
      } catch (NoSuchFileException e) {
        // evicted since the lookup: Blob has it
      }
    }
    return fromBlob(location, offset, length);
  }

  /**
   * {@code length} bytes of {@code file} from {@code offset}; the channel is closed when it cannot
   * be positioned there.
   */
  static InputStream openCached(Path file, long offset, long length) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      channel.position(offset);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return new BoundedInputStream(Channels.newInputStream(channel), length);
  }

  /**
   * From the primary blob, else (missing, or the primary account not answering) from the replica
   * when there is one and its object has the indexed size and SHA-256: the failover read.
   */
  private InputStream fromBlob(InstanceLocation location, long offset, long length)
      throws IOException {
    try {
      // A packed instance is a range of its pack: only that range is read, never the pack.
      return storage
          .blobStore()
          .read(
              location.blobName(),
              location.blobOffset(offset),
              location.blobLength(offset, length));
    } catch (IOException primary) {
      if (!storage.replicated()) {
        throw primary;
      }
      InputStream replica;
      try {
        replica = fromReplica(location, offset, length);
      } catch (IOException e) {
        primary.addSuppressed(e);
        throw primary;
      }
      if (replica == null) {
        throw primary;
      }
      LOG.warnf(
          "instance %s served from the replica: the primary failed (%s)",
          location.sopInstanceUid(), primary.getMessage());
      replicaMetrics.servedFromReplica();
      return replica;
    }
  }

  private InputStream fromReplica(InstanceLocation location, long offset, long length)
      throws IOException {
    BlobStore replica = storage.replicaStore();
    InputStream packed = InstanceBlobs.replicaPacked(replica, location, offset, length);
    if (packed != null) {
      // In the same pack as at the primary, proven when it was copied there.
      return packed;
    }
    // Not packed, or replicated as an object of its own before the primary packed it.
    String name = location.ownBlobName();
    BlobStat stat = replica.stat(name);
    if (stat == null
        || stat.size() != location.size()
        || !location.sha256().equals(stat.metadata().get("sha256"))) {
      return null;
    }
    return replica.read(name, offset, length);
  }

  /**
   * Marks the instances a retrieve addresses (a study, a series of it, or one instance: {@code
   * series} and {@code sop} may be null) as accessed now, in one autocommitted UPDATE before
   * streaming starts, so no transaction stays open while the bytes flow; rows marked within {@link
   * NodeStorageConfig#accessGranularity()} are left alone (see {@link InstanceIndex#recordAccess}).
   * Returns the rows updated. Never fails the read: an access time is a hint for eviction.
   */
  public int recordAccess(String study, String series, String sop) {
    try {
      // The study's own access time (the tier policy's age) is written at most once a day.
      tiers.recordStudyAccess(study, clock.instant(), tierConfig.accessGranularity());
      return index.recordAccess(
          study, series, sop, clock.instant(), storageConfig.accessGranularity());
    } catch (SQLException e) {
      LOG.debugf("access time of study %s not recorded: %s", study, e.getMessage());
      return 0;
    }
  }

  /** At most {@code limit} bytes of {@code in}. */
  static final class BoundedInputStream extends BlockFilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(left, in.available());
    }
  }
}
