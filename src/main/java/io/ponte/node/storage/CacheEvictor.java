package io.ponte.node.storage;

import io.ponte.node.index.CacheIndex;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps the cache under its bound and the cache volume above its target free space (the volume's
 * real free space, see {@link CacheVolume}: another writer may fill it): evicts whole studies,
 * least recently accessed first, and only studies whose every instance is UPLOADED (a PENDING
 * instance's only copy is the cache file). The index forgets the cache path in a transaction that
 * re-checks the states under row locks, then the files are deleted; a reader that still had a file
 * open keeps reading it (POSIX unlink), a later reader goes to Blob. Files whose deletion could not
 * run (the index failed after the release) are deleted first by the next run of this process.
 */
@ApplicationScoped
public class CacheEvictor {

  private static final Logger LOG = Logger.getLogger(CacheEvictor.class);

  @Inject NodeStorage storage;

  @Inject CacheIndex index;

  @Inject CacheVolume volume;

  /**
   * Released files not deleted yet: the index failed between the release and the deletion, and no
   * row references them any more, so nothing else would ever delete them.
   */
  private final List<CacheIndex.Released> undeleted = new ArrayList<>();

  @Scheduled(
      every = "${ponte.node.storage.eviction-interval:1m}",
      delayed = "10s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (!storage.isNode()) {
      return;
    }
    try {
      evict();
    } catch (SQLException e) {
      LOG.warnf("eviction skipped: index unavailable (%s)", e.getMessage());
    } catch (IOException e) {
      LOG.warnf("eviction skipped: cache volume unreadable (%s)", e.getMessage());
    }
  }

  /**
   * One run: frees what the size bound or the volume's target free space asks, whichever asks more;
   * returns bytes freed.
   */
  public synchronized long evict() throws SQLException, IOException {
    long retried = deleteUndeleted();
    long cached = index.cachedBytes();
    CacheVolume.Usage usage = volume.usage();
    long toFree = bytesToFree(cached, storage.config().maxCacheBytes(), usage);
    if (toFree <= 0) {
      return retried;
    }
    if (usage.shortOfTarget() > 0) {
      LOG.infof(
          "cache volume has %d of %d bytes free, target %d: evicting",
          usage.usableBytes(), usage.totalBytes(), usage.targetFreeBytes());
    }
    return retried + free(toFree, cached);
  }

  /** What one run must free: the excess over the size bound or the shortfall of free space. */
  static long bytesToFree(long cachedBytes, long maxCacheBytes, CacheVolume.Usage usage) {
    return Math.max(Math.max(0, cachedBytes - maxCacheBytes), usage.shortOfTarget());
  }

  /**
   * Evicts until the cached bytes are at most {@code maxBytes} or nothing evictable is left;
   * returns bytes freed.
   */
  public synchronized long evictTo(long maxBytes) throws SQLException {
    long retried = deleteUndeleted();
    long cached = index.cachedBytes();
    return retried + (cached <= maxBytes ? 0 : free(cached - maxBytes, cached));
  }

  /** Evicts studies until {@code toFree} bytes are freed or nothing evictable is left. */
  private long free(long toFree, long cached) throws SQLException {
    long freed = 0;
    int page = 256;
    List<CacheIndex.CachedStudy> studies = index.cachedStudiesByAccess(page);
    for (CacheIndex.CachedStudy study : studies) {
      if (freed >= toFree) {
        break;
      }
      if (!study.allUploaded()) {
        continue;
      }
      freed += release(study.studyInstanceUid());
    }
    if (freed > 0) {
      LOG.infof("cache eviction freed %d bytes (cache was %d, asked %d)", freed, cached, toFree);
    }
    return freed;
  }

  /**
   * Evicts one study now, whatever the cache's size (an operator's {@code ponte node archive}), by
   * the rule every eviction follows: only if every instance of it is UPLOADED, re-checked under row
   * locks. Returns the bytes freed (0 also when an instance is not yet in Blob: nothing evicted).
   */
  public synchronized long evictStudy(String studyInstanceUid) throws SQLException {
    return deleteUndeleted() + release(studyInstanceUid);
  }

  /**
   * Forgets the study's cache paths (if every instance is UPLOADED), then deletes the files no row
   * was given back meanwhile.
   */
  private long release(String studyInstanceUid) throws SQLException {
    List<CacheIndex.Released> released = index.releaseStudyFromCache(studyInstanceUid);
    try {
      return deleteReleased(released);
    } catch (SQLException | RuntimeException e) {
      undeleted.addAll(released);
      throw e;
    }
  }

  /** Deletes what an earlier run released but could not delete; returns the bytes freed. */
  private long deleteUndeleted() throws SQLException {
    if (undeleted.isEmpty()) {
      return 0;
    }
    List<CacheIndex.Released> again = List.copyOf(undeleted);
    long freed = deleteReleased(again); // throws, keeping them for the next run, while it fails
    undeleted.removeAll(again);
    LOG.infof("cache eviction deleted %d files an earlier run had released", again.size());
    return freed;
  }

  /**
   * Deletes the released files, each only if its instance's row does not reference it again (an
   * identical re-send healing an instance whose blob is gone, or the verifier, re-queues it with
   * this very path, under the row lock this takes too); returns the bytes freed.
   */
  long deleteReleased(List<CacheIndex.Released> released) throws SQLException {
    long[] freed = {0};
    index.deleteUnreferenced(
        released,
        relative -> {
          Path file = storage.layout().resolve(relative);
          try {
            long size = Files.size(file);
            Files.deleteIfExists(file);
            freed[0] += size;
          } catch (IOException e) {
            LOG.debugf("evicted file %s already gone: %s", relative, e.getMessage());
          }
        });
    deleteEmptyParents(released.stream().map(CacheIndex.Released::cachePath).toList());
    return freed[0];
  }

  private void deleteEmptyParents(List<String> paths) {
    for (String relative : paths) {
      Path series = storage.layout().resolve(relative).getParent();
      for (Path dir = series;
          dir != null && !dir.equals(storage.layout().root());
          dir = dir.getParent()) {
        try {
          Files.deleteIfExists(dir); // fails (and stops) while the directory still has entries
        } catch (IOException e) {
          break;
        }
      }
    }
  }
}
