package io.ponte.node.storage;

import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.UploadQueue;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.text.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks every indexed instance against its copies ({@link StoredCopies}) and repairs from
 * whichever is intact: a damaged or missing cache file is fetched again from Blob, a missing blob
 * is uploaded again from the cache, a PENDING instance already in Blob is marked so. What has no
 * intact copy is reported missing; what cannot be checked (Blob unreachable) is reported too. The
 * index is walked in keyset pages, so its size does not matter; cache files, and packed instances'
 * ranges of their packs, are read whole to check their SHA-256.
 */
@ApplicationScoped
public class StoreVerifier {

  private static final int PAGE = 500;

  @Inject NodeStorage storage;

  @Inject InstanceIndex index;

  @Inject UploadQueue uploads;

  @Inject StoredCopies copies;

  Clock clock = Clock.systemUTC();

  /** How one instance stood. */
  public enum Outcome {
    OK,
    REPAIRED,
    MISSING,
    UNCHECKED
  }

  /** The counts of a run; everything is held when nothing is missing or unchecked. */
  public record Report(long ok, long repaired, long missing, long unchecked) {
    public boolean allHeld() {
      return missing == 0 && unchecked == 0;
    }
  }

  /**
   * Walks the whole index; {@code repair} false only reports (a repairable instance then counts as
   * repaired, since it is held). Each instance that is not simply OK is described to {@code log}.
   */
  public Report verify(boolean repair, Consumer<String> log) throws SQLException {
    long[] counts = new long[Outcome.values().length];
    String after = null;
    while (true) {
      List<InstanceIndex.Row> page = index.page(after, PAGE, false);
      for (InstanceIndex.Row row : page) {
        counts[check(row, repair, log).ordinal()]++;
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).sopInstanceUid();
    }
    return new Report(
        counts[Outcome.OK.ordinal()],
        counts[Outcome.REPAIRED.ordinal()],
        counts[Outcome.MISSING.ordinal()],
        counts[Outcome.UNCHECKED.ordinal()]);
  }

  /** Checks (and, if asked, repairs) one instance. */
  public Outcome check(InstanceIndex.Row row, boolean repair, Consumer<String> log)
      throws SQLException {
    InstanceLocation at = row.location();
    String what = "instance " + row.sopInstanceUid() + " (study " + row.studyInstanceUid() + ")";
    String fixed = repair ? "repaired: " : "repairable: ";
    boolean cacheIntact = copies.cacheIntact(at);
    boolean pending = !InstanceIndex.UPLOADED.equals(row.blobState());
    if (pending && cacheIntact) {
      return Outcome.OK; // held in the cache, upload to come
    }
    StoredCopies.BlobCopy blob = copies.blob(at);
    if (blob == StoredCopies.BlobCopy.UNREACHABLE) {
      log.accept("unchecked: " + what + ": Blob cannot be reached");
      return Outcome.UNCHECKED;
    }
    if (blob == StoredCopies.BlobCopy.INTACT) {
      if (pending) {
        if (repair) {
          index.markHeldInBlobOnly(row.sopInstanceUid());
        }
        log.accept(fixed + what + ": cache file lost, held in Blob; marked uploaded");
        return Outcome.REPAIRED;
      }
      if (at.cachePath() == null || cacheIntact) {
        return Outcome.OK;
      }
      if (repair && !restoreCacheFromBlob(at, log)) {
        return Outcome.UNCHECKED;
      }
      log.accept(fixed + what + ": cache file missing or damaged; fetched again from Blob");
      return Outcome.REPAIRED;
    }
    if (cacheIntact) {
      if (repair && !uploadFromCache(at, log)) {
        return Outcome.UNCHECKED;
      }
      log.accept(fixed + what + ": blob missing or damaged; uploaded again from the cache");
      return Outcome.REPAIRED;
    }
    log.accept("missing: " + what + ": neither the cache nor Blob holds it intact");
    return Outcome.MISSING;
  }

  /**
   * Streams the blob into a temp file, checks its SHA-256, and renames it over the cache path
   * (public for the fixity job's repairs: one restore for both).
   */
  public boolean restoreCacheFromBlob(InstanceLocation at, Consumer<String> log) {
    return restoreCacheFrom(storage.blobStore(), at, log);
  }

  /** The same restore from another store (the replica, when the primary has no intact blob). */
  public boolean restoreCacheFrom(BlobStore source, InstanceLocation at, Consumer<String> log) {
    Path target = storage.layout().resolve(at.cachePath());
    Path temp = null;
    try {
      temp = storage.layout().newTempFile();
      MessageDigest digest = Sha256.digest();
      try (InputStream in = InstanceBlobs.from(storage, source, at);
          OutputStream out = Files.newOutputStream(temp)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      if (!Sha256.hex(digest).equals(at.sha256())) {
        log.accept("unchecked: the blob of " + at.sopInstanceUid() + " changed while it was read");
        return false;
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.createDirectories(target.getParent());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
      CacheLayout.syncDirectory(target.getParent());
      return true;
    } catch (IOException e) {
      log.accept(
          "unchecked: could not restore " + at.sopInstanceUid() + " from Blob: " + e.getMessage());
      return false;
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // left for the next start-up's recovery
        }
      }
    }
  }

  /**
   * Queues the instance for upload first (so that the evictor keeps its file), then uploads it and
   * marks it uploaded; a failed upload stays queued for the upload worker.
   */
  private boolean uploadFromCache(InstanceLocation at, Consumer<String> log) throws SQLException {
    Path cached = storage.layout().resolve(at.cachePath());
    try {
      // Under the row's lock: an eviction that released the file meanwhile has deleted it (then
      // nothing is queued) or keeps it (CacheIndex#deleteUnreferenced).
      index.requeueUpload(
          at.sopInstanceUid(),
          at.cachePath(),
          clock.instant(),
          () -> {
            if (!Files.exists(cached)) {
              throw new NoSuchFileException(cached.toString());
            }
          });
    } catch (IOException e) {
      log.accept(
          "unchecked: the cache file of " + at.sopInstanceUid() + " is gone: " + e.getMessage());
      return false;
    }
    try (InputStream in = Files.newInputStream(storage.layout().resolve(at.cachePath()))) {
      // requeueUpload took the instance out of its pack: it goes up under its own name.
      storage.blobStore().write(at.ownBlobName(), in, at.size(), Map.of("sha256", at.sha256()));
    } catch (IOException e) {
      log.accept(
          "unchecked: upload of "
              + at.sopInstanceUid()
              + " failed ("
              + e.getMessage()
              + "); left queued for the upload worker");
      return false;
    }
    // Unless someone claimed it meanwhile (the upload worker then settles it).
    uploads.markUploadedUnclaimed(at.sopInstanceUid(), at.ownBlobName());
    return true;
  }
}
