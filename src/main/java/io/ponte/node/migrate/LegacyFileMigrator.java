package io.ponte.node.migrate;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Tag;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.StoreException;
import io.ponte.node.storage.StoredInstance;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * One file of a legacy archive into the node's {@link InstanceStore}: a Part 10 file is stored
 * byte-exact as STOW-RS stores it; a file without file meta (a bare implicit or explicit VR data
 * set, common in old archives) is stored as DIMSE stores a data set, behind generated meta; a
 * DICOMDIR is skipped as such; anything else is "unreadable" with the reader's or store's reason.
 * Only the header is read to decide; the store then streams the file.
 */
final class LegacyFileMigrator {

  /** Media Storage Directory Storage (PS3.10 DICOMDIR). */
  static final String DICOMDIR_CLASS = "1.2.840.10008.1.3.10";

  private final InstanceStore store;
  private final IngestSource source;
  private final BandwidthLimit bandwidth;

  LegacyFileMigrator(InstanceStore store, IngestSource source, BandwidthLimit bandwidth) {
    this.store = store;
    this.source = source;
    this.bandwidth = bandwidth;
  }

  FileOutcome migrate(SourceFile file) {
    if (file.file().getFileName().toString().equalsIgnoreCase("DICOMDIR")) {
      return new FileOutcome(file, FileOutcome.Kind.DICOMDIR, null, null);
    }
    Header header;
    try {
      header = header(file);
    } catch (IOException | RuntimeException e) {
      return FileOutcome.unreadable(file, "not readable as DICOM: " + message(e));
    }
    if (header.dicomdir()) {
      return new FileOutcome(file, FileOutcome.Kind.DICOMDIR, null, null);
    }
    return store(file, header);
  }

  private FileOutcome store(SourceFile file, Header header) {
    try (InputStream in = open(file)) {
      StoredInstance stored =
          header.part10()
              ? store.storePart10(source, in)
              : store.storeDataset(
                  source,
                  header.sopClassUid(),
                  header.sopInstanceUid(),
                  header.transferSyntaxUid(),
                  in);
      return new FileOutcome(
          file,
          stored.duplicate() ? FileOutcome.Kind.DUPLICATE : FileOutcome.Kind.MIGRATED,
          stored.sopInstanceUid(),
          null);
    } catch (StoreException e) {
      if (e.reason() == StoreException.Reason.OUT_OF_RESOURCES) {
        return new FileOutcome(file, FileOutcome.Kind.FAILED, null, e.getMessage());
      }
      return FileOutcome.unreadable(file, refusal(e));
    } catch (IOException e) {
      return new FileOutcome(file, FileOutcome.Kind.FAILED, null, "read failed: " + message(e));
    }
  }

  /**
   * A bare data set received over DIMSE (spooled to {@code file}), whose UIDs and transfer syntax
   * the association gave: stored as DIMSE stores a data set, behind generated meta.
   */
  FileOutcome migrateDataset(
      SourceFile file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {
    return store(file, new Header(false, false, sopClassUid, sopInstanceUid, transferSyntaxUid));
  }

  /** What the first bytes say: Part 10 or a bare data set (then its UIDs and encoding). */
  record Header(
      boolean part10,
      boolean dicomdir,
      String sopClassUid,
      String sopInstanceUid,
      String transferSyntaxUid) {}

  private Header header(SourceFile file) throws IOException {
    // A small buffer: only the first bytes (meta, or the data set up to Pixel Data) are needed.
    try (InputStream in =
        new BufferedInputStream(bandwidth.wrap(Files.newInputStream(file.file())), 8 * 1024)) {
      DicomInputStream dicom = new DicomInputStream(in);
      Attributes fmi = dicom.readFileMetaInformation();
      if (fmi != null) {
        return new Header(
            true,
            DICOMDIR_CLASS.equals(fmi.getString(Tag.MediaStorageSOPClassUID)),
            null,
            null,
            null);
      }
      Attributes ds = dicom.readDatasetUntilPixelData();
      String cls = ds.getString(Tag.SOPClassUID);
      String inst = ds.getString(Tag.SOPInstanceUID);
      if (DICOMDIR_CLASS.equals(cls) || ds.contains(0x00041220)) {
        // (0004,1220) Directory Record Sequence: a DICOMDIR written without its meta.
        return new Header(false, true, null, null, null);
      }
      if (cls == null || inst == null) {
        throw new IOException(
            "no file meta and no SOP Class/Instance UID in the data set: not a stored instance");
      }
      return new Header(false, false, cls, inst, dicom.transferSyntax());
    }
  }

  private InputStream open(SourceFile file) throws IOException {
    return new BufferedInputStream(bandwidth.wrap(Files.newInputStream(file.file())), 64 * 1024);
  }

  private static String refusal(StoreException e) {
    return switch (e.reason()) {
      case CONFLICTING_DUPLICATE -> "refused: " + e.getMessage();
      case INVALID_UID -> "invalid UID: " + e.getMessage();
      case NOT_SUPPORTED -> "not supported: " + e.getMessage();
      default -> e.getMessage();
    };
  }

  private static String message(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
