package io.ponte.node.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;

/**
 * The file system the cache lives on, as the operating system reports it: what is really free,
 * whatever else shares the volume (spool files, logs, another process). The cache's own size in the
 * index says nothing about a disk another writer filled.
 */
@ApplicationScoped
public class CacheVolume {

  /** Usable and total bytes of a volume: a {@link FileStore}, or a fake in tests. */
  public interface Space {
    long usableBytes() throws IOException;

    long totalBytes() throws IOException;
  }

  /** What the volume holds now, with the configured bounds applied. */
  public record Usage(long usableBytes, long totalBytes, long minFreeBytes, long targetFreeBytes) {

    public double usablePercent() {
      return totalBytes <= 0 ? 0 : usableBytes * 100.0 / totalBytes;
    }

    /** Below the minimum the node stops taking work (readiness DOWN). */
    public boolean belowMinimum() {
      return usableBytes < minFreeBytes;
    }

    /** How many bytes the evictor should free to reach the target (0 when it is met). */
    public long shortOfTarget() {
      return Math.max(0, targetFreeBytes - usableBytes);
    }
  }

  @Inject NodeStorage storage;

  private volatile Space override;

  public Usage usage() throws IOException {
    Space space = override != null ? override : fileStore();
    long total = space.totalBytes();
    NodeStorageConfig config = storage.config();
    return new Usage(
        space.usableBytes(),
        total,
        FreeSpace.parse("ponte.node.storage.min-free-space", config.minFreeSpace()).bytesOf(total),
        FreeSpace.parse("ponte.node.storage.target-free-space", config.targetFreeSpace())
            .bytesOf(total));
  }

  private Space fileStore() throws IOException {
    FileStore store = Files.getFileStore(storage.layout().root());
    return new Space() {
      @Override
      public long usableBytes() throws IOException {
        return store.getUsableSpace();
      }

      @Override
      public long totalBytes() throws IOException {
        return store.getTotalSpace();
      }
    };
  }

  /** For tests: another view of the volume (null: the real one again). */
  public void use(Space space) {
    this.override = space;
  }
}
