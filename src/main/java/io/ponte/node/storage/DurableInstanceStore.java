package io.ponte.node.storage;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.DicomParseException;
import io.ponte.dicom.InvalidUidException;
import io.ponte.dicom.Tag;
import io.ponte.dicom.UID;
import io.ponte.node.index.IndexedInstance;
import io.ponte.node.index.InstanceIndex;
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
import org.jboss.logging.Logger;

/**
 * The node's {@link InstanceStore}: spool (tee into a temp file while the header is parsed, SHA-256
 * on the way), fsync, index in one transaction, rename into the cache, fsync the directory, and
 * only then answer. The row is committed before the rename so that a file never appears in the
 * cache without its row; a crash between the two leaves a row without a file, which the next
 * identical send heals (the sender was never acknowledged, so it sends again).
 */
@ApplicationScoped
public class DurableInstanceStore implements InstanceStore {

  private static final Logger LOG = Logger.getLogger(DurableInstanceStore.class);

  @Inject NodeStorage storage;

  @Inject InstanceIndex index;

  @Inject InstanceMetadata metadata;

  @Inject StorageMetrics metrics;

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
        spool -> {
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
          long prefix = spool.size();
          InputStream teed = spool.tee(dataset);
          DicomInputStream in = DicomInputStream.ofDataset(teed, transferSyntaxUid);
          Attributes ds = in.readDatasetUntilPixelData();
          long pixelDataAt = in.position();
          SpoolFile.drain(teed);
          return new Parsed(fmi, ds, transferSyntaxUid, prefix + pixelDataAt);
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
        spool -> {
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
          Attributes ds = in.readDatasetUntilPixelData();
          long pixelDataAt = in.position();
          SpoolFile.drain(teed);
          return new Parsed(fmi, ds, ts, pixelDataAt);
        });
  }

  /**
   * The header of a spooled instance: file meta, data set up to Pixel Data, where Pixel Data
   * starts.
   */
  record Parsed(
      Attributes fmi, Attributes dataset, String transferSyntaxUid, long pixelDataOffset) {}

  @FunctionalInterface
  interface Spooler {
    Parsed spool(SpoolFile spool) throws IOException, StoreException;
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
    try (SpoolFile spool = new SpoolFile(temp)) {
      try {
        parsed = spooler.spool(spool);
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
      IndexedInstance row = InstanceHeader.check(parsed, spool.size(), sha256, source, metadata);
      if (requiredStudyUid != null && !requiredStudyUid.equals(row.studyInstanceUid())) {
        throw new StudyMismatchException(
            "the instance belongs to study "
                + row.studyInstanceUid()
                + ", not to the study "
                + requiredStudyUid
                + " the request was addressed to");
      }
      PixelDataCheck.requireComplete(
          spool.path(), parsed.pixelDataOffset(), parsed.transferSyntaxUid(), spool.size());
      StoredInstance stored = index(row, spool);
      metrics.stored(stored);
      return stored;
    } catch (StoreException e) {
      throw refused(named(e, parsed));
    } catch (IOException e) {
      // Only the temp file's close/delete can end here.
      throw refused(
          named(
              new StoreException(Reason.OUT_OF_RESOURCES, "cache failure: " + e.getMessage(), e),
              parsed));
    }
  }

  /** Names the instance in a refusal when its header was read (and its UIDs are valid). */
  private static StoreException named(StoreException e, Parsed parsed) {
    if (parsed != null && e.sopInstanceUid() == null) {
      String cls = parsed.dataset().getString(Tag.SOPClassUID);
      String inst = parsed.dataset().getString(Tag.SOPInstanceUID);
      e.withInstance(
          cls != null && UID.isValid(cls) ? cls : null,
          inst != null && UID.isValid(inst) ? inst : null);
    }
    return e;
  }

  private StoredInstance index(IndexedInstance row, SpoolFile spool) throws StoreException {
    InstanceIndex.Insertion insertion;
    try {
      insertion = index.insert(row, clock.instant());
    } catch (InstanceIndex.InconsistentHierarchyException e) {
      throw new StoreException(Reason.INVALID_DATA, e.getMessage(), e);
    } catch (SQLException e) {
      LOG.errorf(e, "indexing %s failed", row.sopInstanceUid());
      throw new StoreException(Reason.OUT_OF_RESOURCES, "the index is unavailable", e);
    }
    StoredInstance stored =
        new StoredInstance(
            row.studyInstanceUid(),
            row.seriesInstanceUid(),
            row.sopClassUid(),
            row.sopInstanceUid(),
            row.transferSyntaxUid(),
            row.size(),
            row.sha256(),
            !insertion.inserted());
    if (insertion.inserted()) {
      place(spool, storage.layout().resolve(row.cachePath()));
      return stored;
    }
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
    healIfLost(existing, spool);
    metrics.duplicate();
    return stored;
  }

  /**
   * A committed row whose file is neither in the cache nor (yet) in Blob: the process died between
   * commit and rename. The identical bytes just received take its place.
   */
  private void healIfLost(InstanceIndex.Row existing, SpoolFile spool) throws StoreException {
    if (InstanceIndex.UPLOADED.equals(existing.blobState())) {
      return;
    }
    String relative =
        existing.cachePath() != null
            ? existing.cachePath()
            : CacheLayout.relativePath(
                existing.studyInstanceUid(),
                existing.seriesInstanceUid(),
                existing.sopInstanceUid());
    Path target = storage.layout().resolve(relative);
    if (Files.exists(target)) {
      return;
    }
    LOG.warnf(
        "instance %s was indexed but its file was missing; restored from an identical send",
        existing.sopInstanceUid());
    place(spool, target);
    if (existing.cachePath() == null) {
      try {
        index.restoreCachePath(existing.sopInstanceUid(), relative);
      } catch (SQLException e) {
        throw new StoreException(Reason.OUT_OF_RESOURCES, "the index is unavailable", e);
      }
    }
  }

  /** Atomic rename of the synced temp file into the cache, then fsync of the directory entry. */
  private void place(SpoolFile spool, Path target) throws StoreException {
    try {
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
    } catch (IOException e) {
      LOG.errorf(e, "placing %s into the cache failed", target);
      throw new StoreException(
          Reason.OUT_OF_RESOURCES, "cannot place the instance in the cache", e);
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
      throw new StoreException(Reason.INVALID_UID, what + " is not a valid UID: " + printable(uid));
    }
  }

  static String printable(String value) {
    String shown = value.length() > 70 ? value.substring(0, 70) + "..." : value;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
