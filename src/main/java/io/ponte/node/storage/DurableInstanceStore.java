package io.ponte.node.storage;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.DicomParseException;
import io.ponte.dicom.InvalidUidException;
import io.ponte.dicom.PixelDataElement;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.error.ErrorDetails;
import io.ponte.node.index.IndexedInstance;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.storage.SpoolFile.SourceReadException;
import io.ponte.node.storage.StoreException.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The node's {@link InstanceStore}: spool (tee into a temp file while the header is parsed, SHA-256
 * on the way), fsync, then one index transaction that inserts the rows, links the file into the
 * cache and fsyncs the directory before it commits, and only then answer. Nothing unacknowledged is
 * ever visible: a crash before the commit leaves no row (only a file no row points at, which {@link
 * CrashRecovery} removes at start-up), a crash after it leaves an indexed, landed instance whose
 * sender, never acknowledged, sends it again as a duplicate. A duplicate counts as one only if the
 * stored copy is really there; otherwise the re-sent bytes heal the store.
 */
@ApplicationScoped
public class DurableInstanceStore implements InstanceStore {

  private static final Logger LOG = Logger.getLogger(DurableInstanceStore.class);

  @Inject NodeStorage storage;

  @Inject InstanceIndex index;

  @Inject InstanceMetadata metadata;

  @Inject StorageMetrics metrics;

  @Inject StoredCopies copies;

  @Inject RetentionDecider retention;

  @Inject UploadHold hold;

  Clock clock = Clock.systemUTC();

  @Override
  public StoredInstance storeDataset(
      IngestSource source,
      String sopClassUid,
      String sopInstanceUid,
      String transferSyntaxUid,
      InputStream dataset)
      throws StoreException {
    try {
      requireUid(sopClassUid, "Affected SOP Class UID");
      requireUid(sopInstanceUid, "Affected SOP Instance UID");
      requireUid(transferSyntaxUid, "Transfer Syntax UID");
    } catch (StoreException e) {
      throw refused(e);
    }
    return store(
        source,
        null,
        (spool, header) -> {
          Attributes fmi =
              DicomOutputStream.createFileMetaInformation(
                  sopClassUid, sopInstanceUid, transferSyntaxUid);
          try {
            DicomOutputStream out = new DicomOutputStream(spool.output());
            out.writeFileMetaInformation(fmi);
            out.flush();
          } catch (IOException e) {
            throw new SpoolFile.SpoolWriteException(e);
          }
          InputStream teed = spool.tee(LeadingFileMeta.strip(dataset));
          DicomInputStream in = DicomInputStream.ofDataset(teed, transferSyntaxUid);
          header.accept(in.readDatasetUntilPixelData());
          PixelDataElement pixels = in.readRestSkippingPixelData();
          SpoolFile.drain(teed);
          Attributes ds = in.readDataset();
          if (ds.size() > 0 && ds.tagAt(0) >>> 16 == 0x0002) {
            // Left where they could not be stripped (deflated or big endian): unreadable if stored.
            throw new StoreException(
                Reason.INVALID_DATA,
                "the data set contains File Meta Information element "
                    + Tag.toString(ds.tagAt(0))
                    + " (PS3.10 7.1)");
          }
          return new Parsed(fmi, ds, transferSyntaxUid, pixels);
        });
  }

  @Override
  public StoredInstance storePart10(IngestSource source, InputStream part10) throws StoreException {
    return storePart10(source, part10, null);
  }

  @Override
  public StoredInstance storePart10(
      IngestSource source, InputStream part10, String requiredStudyUid) throws StoreException {
    return store(
        source,
        requiredStudyUid,
        (spool, header) -> {
          InputStream teed = spool.tee(part10);
          DicomInputStream in = new DicomInputStream(teed);
          Attributes fmi = in.readFileMetaInformation();
          if (fmi == null) {
            throw new StoreException(
                Reason.INVALID_DATA, "not a DICOM Part 10 stream: no file meta information");
          }
          // Legacy files may lack (0002,0010); the reader's detected encoding then names the
          // syntax.
          String ts =
              fmi.getString(Tag.TransferSyntaxUID) != null
                  ? fmi.getString(Tag.TransferSyntaxUID)
                  : in.transferSyntax();
          header.accept(in.readDatasetUntilPixelData());
          PixelDataElement pixels = in.readRestSkippingPixelData();
          SpoolFile.drain(teed);
          return new Parsed(fmi, in.readDataset(), ts, pixels);
        });
  }

  /**
   * A spooled instance read to its end: file meta, the data set without its top-level pixel data
   * (which the reader checked and skipped), and that pixel data element (null when there is none).
   */
  record Parsed(
      Attributes fmi, Attributes dataset, String transferSyntaxUid, PixelDataElement pixelData) {}

  @FunctionalInterface
  interface Spooler {
    /** Spools and reads the instance; {@code header} learns the data set before its pixel data. */
    Parsed spool(SpoolFile spool, Consumer<Attributes> header) throws IOException, StoreException;
  }

  private StoredInstance store(IngestSource source, String requiredStudyUid, Spooler spooler)
      throws StoreException {
    Path temp;
    try {
      temp = storage.layout().newTempFile();
    } catch (IOException e) {
      throw refused(
          new StoreException(Reason.OUT_OF_RESOURCES, "cache not writable: " + e.getMessage(), e));
    }
    Parsed parsed = null;
    // The header once read, to name the instance when what follows it is refused.
    Attributes[] header = {null};
    try (SpoolFile spool = new SpoolFile(temp)) {
      try {
        parsed = spooler.spool(spool, ds -> header[0] = ds);
      } catch (SpoolFile.SpoolWriteException e) {
        throw new StoreException(
            Reason.OUT_OF_RESOURCES, "cannot write to the cache: " + e.getMessage(), e);
      } catch (DicomParseException e) {
        throw new StoreException(
            Reason.INVALID_DATA, "not readable as DICOM: " + e.getMessage(), e);
      } catch (InvalidUidException e) {
        throw new StoreException(Reason.INVALID_UID, e.getMessage(), e);
      } catch (IOException e) {
        throw sourceOrData(e);
      }
      String sha256 = syncSpool(spool);
      IndexedInstance row =
          InstanceHeader.check(
              parsed,
              spool.size(),
              sha256,
              source,
              metadata,
              retention.decide(parsed.dataset(), clock.instant()));
      if (requiredStudyUid != null && !requiredStudyUid.equals(row.studyInstanceUid())) {
        throw new StudyMismatchException(
            "the instance belongs to study "
                + row.studyInstanceUid()
                + ", not to the study "
                + requiredStudyUid
                + " the request was addressed to");
      }
      PixelDataCheck.requireConsistent(
          parsed.dataset(), parsed.transferSyntaxUid(), parsed.pixelData());
      StoredInstance stored = index(row, spool, source);
      metrics.stored(stored);
      return stored;
    } catch (StoreException e) {
      throw refused(named(e, header[0]));
    } catch (IOException e) {
      // Only the temp file's close/delete can end here.
      throw refused(
          named(
              new StoreException(Reason.OUT_OF_RESOURCES, "cache failure: " + e.getMessage(), e),
              header[0]));
    }
  }

  /** Names the instance in a refusal when its header was read (and its UIDs are valid). */
  private static StoreException named(StoreException e, Attributes header) {
    if (header != null && e.sopInstanceUid() == null) {
      String cls = header.getString(Tag.SOPClassUID);
      String inst = header.getString(Tag.SOPInstanceUID);
      e.withInstance(
          cls != null && UID.isValid(cls) ? cls : null,
          inst != null && UID.isValid(inst) ? inst : null);
    }
    return e;
  }

  private StoredInstance index(IndexedInstance row, SpoolFile spool, IngestSource source)
      throws StoreException {
    Path target = storage.layout().resolve(row.cachePath());
    InstanceIndex.Insertion insertion;
    try {
      Instant now = clock.instant();
      insertion =
          index.insert(
              row,
              now,
              hold.uploadDueAt(source.protocol(), now, row.size()),
              () -> land(spool, target));
    } catch (InstanceIndex.InconsistentHierarchyException e) {
      throw new StoreException(Reason.INVALID_DATA, e.getMessage(), e);
    } catch (InstanceIndex.StudyBeingDeletedException e) {
      // Refused before the bytes landed; the sender is to retry (A700, STOW A700).
      throw new StoreException(Reason.OUT_OF_RESOURCES, e.getMessage(), e);
    } catch (SQLException e) {
      LOG.errorf(e, "indexing %s failed", row.sopInstanceUid());
      unlinkIfLanded(spool, target);
      throw new StoreException(Reason.OUT_OF_RESOURCES, "the index is unavailable", e);
    } catch (IOException e) {
      LOG.errorf(e, "placing %s into the cache failed", target);
      throw new StoreException(
          Reason.OUT_OF_RESOURCES, "cannot place the instance in the cache", e);
    }
    boolean duplicate = false;
    if (!insertion.inserted()) {
      InstanceIndex.Row existing = insertion.existing();
      if (!existing.sha256().equals(row.sha256())) {
        throw new StoreException(
            Reason.CONFLICTING_DUPLICATE,
            "SOP Instance "
                + row.sopInstanceUid()
                + " is already stored with different content (SHA-256 "
                + existing.sha256()
                + ")");
      }
      duplicate = !healed(existing, spool);
      if (duplicate) {
        metrics.duplicate();
      }
    }
    return new StoredInstance(
        row.studyInstanceUid(),
        row.seriesInstanceUid(),
        row.sopClassUid(),
        row.sopInstanceUid(),
        row.transferSyntaxUid(),
        row.size(),
        row.sha256(),
        duplicate);
  }

  /**
   * The same bytes again under an indexed UID: a duplicate only if the stored copy is really there
   * and intact. Otherwise the bytes just received heal the store and the send counts as stored
   * (returns true): a PENDING instance gets its cache file back; an UPLOADED one whose blob is gone
   * gets its cache file back and is queued for upload again (it stays in the cache until then). An
   * intact blob with a damaged cache file is a duplicate whose cache file is refreshed.
   */
  private boolean healed(InstanceIndex.Row existing, SpoolFile spool) throws StoreException {
    InstanceLocation held = existing.location();
    String relative =
        existing.cachePath() != null
            ? existing.cachePath()
            : CacheLayout.relativePath(
                existing.studyInstanceUid(),
                existing.seriesInstanceUid(),
                existing.sopInstanceUid());
    Path target = storage.layout().resolve(relative);
    boolean cacheIntact = copies.cacheIntact(held);
    try {
      if (!InstanceIndex.UPLOADED.equals(existing.blobState())) {
        // PENDING: the cache file is the only copy.
        if (cacheIntact) {
          return false;
        }
        LOG.warnf(
            "instance %s was indexed but its cache file was missing or damaged; restored from an"
                + " identical send",
            existing.sopInstanceUid());
        place(spool, target);
        if (existing.cachePath() == null) {
          index.restoreCachePath(existing.sopInstanceUid(), relative);
        }
        return true;
      }
      StoredCopies.BlobCopy blob = copies.blob(held);
      if (blob == StoredCopies.BlobCopy.INTACT
          || (blob == StoredCopies.BlobCopy.UNREACHABLE && cacheIntact)) {
        if (existing.cachePath() != null && !cacheIntact) {
          LOG.warnf(
              "instance %s: cache file missing or damaged, Blob intact; cache refreshed from an"
                  + " identical send",
              existing.sopInstanceUid());
          place(spool, target);
        }
        return false;
      }
      LOG.warnf(
          "instance %s was indexed as uploaded but its blob is %s; stored again from an identical"
              + " send and queued for upload",
          existing.sopInstanceUid(),
          blob == StoredCopies.BlobCopy.ABSENT ? "missing" : "unreachable");
      // Placed under the row's lock the requeue holds: an eviction that released this path
      // before deletes its file only if the row does not reference it again (CacheIndex).
      try {
        index.requeueUpload(
            existing.sopInstanceUid(), relative, clock.instant(), () -> placeFile(spool, target));
      } catch (IOException e) {
        LOG.errorf(e, "placing %s into the cache failed", target);
        throw new StoreException(
            Reason.OUT_OF_RESOURCES, "cannot place the instance in the cache", e);
      }
      return true;
    } catch (SQLException e) {
      throw new StoreException(Reason.OUT_OF_RESOURCES, "the index is unavailable", e);
    }
  }

  /**
   * Hard-links the synced temp file at its cache path and fsyncs the directory entries, inside the
   * index transaction (before its commit). The temp name stays until the row is committed (closing
   * the spool then removes it): after a crash, a temp file with a second link is one whose row may
   * never have committed, which {@link CrashRecovery} checks at start-up.
   */
  private void land(SpoolFile spool, Path target) throws IOException {
    Path dir = target.getParent();
    Path created = createDirectories(dir);
    try {
      link(target, spool.path());
    } catch (NoSuchFileException e) {
      // The evictor removed the (then empty) series directory in between: create it again, once.
      created = createDirectories(dir);
      link(target, spool.path());
    }
    try {
      syncDirectories(dir, created);
    } catch (IOException e) {
      Files.deleteIfExists(target);
      throw e;
    }
  }

  /** After a failed commit: the link made for the rolled-back row must not stay in the cache. */
  private static void unlinkIfLanded(SpoolFile spool, Path target) {
    try {
      if (Files.exists(target) && Files.isSameFile(spool.path(), target)) {
        Files.delete(target);
      }
    } catch (IOException e) {
      LOG.warnf("could not remove %s after a failed commit: %s", target, e.getMessage());
    }
  }

  /**
   * A link at {@code target}; a file already there belongs to no row (this transaction holds the
   * UID's insert), so it is what a crash before a commit left, and is replaced.
   */
  private static void link(Path target, Path temp) throws IOException {
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      Files.delete(target);
      Files.createLink(target, temp);
    }
  }

  /** Atomic rename of the synced temp file over a cache file, then fsync of the directory entry. */
  private void place(SpoolFile spool, Path target) throws StoreException {
    try {
      placeFile(spool, target);
    } catch (IOException e) {
      LOG.errorf(e, "placing %s into the cache failed", target);
      throw new StoreException(
          Reason.OUT_OF_RESOURCES, "cannot place the instance in the cache", e);
    }
  }

  private static void placeFile(SpoolFile spool, Path target) throws IOException {
    Path dir = target.getParent();
    Path created = createDirectories(dir);
    try {
      Files.move(spool.path(), target, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      // The evictor removed the (then empty) series directory in between: create it again, once.
      created = createDirectories(dir);
      Files.move(spool.path(), target, StandardCopyOption.ATOMIC_MOVE);
    }
    spool.keep();
    syncDirectories(dir, created);
  }

  /** fsync of {@code dir} and, when new directories were made, of each new entry up to the top. */
  private static void syncDirectories(Path dir, Path created) throws IOException {
    CacheLayout.syncDirectory(dir);
    if (created != null) {
      // New directories are entries in their parents, which must reach the disk too.
      for (Path p = dir.getParent();
          p != null && !p.equals(created.getParent());
          p = p.getParent()) {
        CacheLayout.syncDirectory(p);
      }
      CacheLayout.syncDirectory(created.getParent());
    }
  }

  /** Creates {@code dir} and missing parents; returns the top-most directory created, or null. */
  private static Path createDirectories(Path dir) throws IOException {
    Path top = null;
    for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
      top = p;
    }
    if (top != null) {
      try {
        Files.createDirectories(dir);
      } catch (FileAlreadyExistsException e) {
        // a concurrent store created it
      }
    }
    return top;
  }

  private static String syncSpool(SpoolFile spool) throws StoreException {
    try {
      return spool.sync();
    } catch (SpoolFile.SpoolWriteException e) {
      throw new StoreException(
          Reason.OUT_OF_RESOURCES, "cannot sync the cache: " + e.getMessage(), e);
    }
  }

  private static StoreException sourceOrData(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SpoolFile.SpoolWriteException w) {
        return new StoreException(
            Reason.OUT_OF_RESOURCES, "cannot write to the cache: " + w.getMessage(), e);
      }
      if (t instanceof SourceReadException) {
        return new StoreException(
            Reason.INVALID_DATA, "the incoming stream failed: " + t.getMessage(), e);
      }
      if (t instanceof DicomParseException) {
        return new StoreException(
            Reason.INVALID_DATA, "not readable as DICOM: " + t.getMessage(), e);
      }
    }
    return new StoreException(Reason.INVALID_DATA, "not readable as DICOM: " + e.getMessage(), e);
  }

  private StoreException refused(StoreException e) {
    metrics.refused(e.reason());
    return e;
  }

  static void requireUid(String uid, String what) throws StoreException {
    if (uid == null || uid.isEmpty()) {
      throw new StoreException(Reason.INVALID_UID, what + " is missing");
    }
    if (!UID.isValid(uid)) {
      throw new StoreException(
          Reason.INVALID_UID, what + " is not a valid UID: " + ErrorDetails.quote(uid));
    }
  }
}
