package io.ponte.node.storage;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.Tag;
import io.ponte.node.index.InstanceIndex;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Start-up clean-up of what a crash (kill -9, power loss) can leave, so that nothing unacknowledged
 * stays visible or retried:
 *
 * <ul>
 *   <li>Temp files in the incoming directory were never acknowledged. One with a second link was
 *       landed in the cache by an index transaction that may not have committed: when no row holds
 *       its SOP Instance UID, its cache file goes too.
 *   <li>PENDING rows whose cache file is missing (what releases before this one, which committed
 *       the row before renaming the file, left behind): marked UPLOADED when Blob holds the bytes,
 *       otherwise removed, so that no search lists what cannot be retrieved. More than {@link
 *       #MAX_FORGET} of them at once is not a crash's leftover but a lost or unmounted cache: then
 *       nothing is removed and the log names {@code ponte node verify}.
 * </ul>
 *
 * Only files older than this JVM are touched, so an ingest that starts meanwhile is safe.
 */
@ApplicationScoped
public class CrashRecovery {

  private static final Logger LOG = Logger.getLogger(CrashRecovery.class);

  /** A crash leaves at most one row per instance in flight; more means the cache itself is gone. */
  static final int MAX_FORGET = 100;

  private static final int PAGE = 500;

  @Inject NodeStorage storage;

  @Inject InstanceIndex index;

  @Inject StoredCopies copies;

  /** What one recovery did. */
  public record Result(
      int tempFiles, int cacheFilesWithoutRow, int rowsForgotten, int rowsHeldInBlob) {

    boolean anything() {
      return tempFiles + cacheFilesWithoutRow + rowsForgotten + rowsHeldInBlob > 0;
    }
  }

  public Result recover() throws IOException, SQLException {
    // The JVM's own record of its start, to the millisecond (the OS's may be a second off).
    Instant startedBefore =
        Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    int[] files = cleanIncoming(startedBefore);
    int[] rows = settlePendingWithoutFile();
    Result result = new Result(files[0], files[1], rows[0], rows[1]);
    if (result.anything()) {
      LOG.warnf(
          "crash recovery: removed %d unacknowledged temp file(s) and %d cache file(s) without an"
              + " index row; %d index row(s) without their file removed, %d found in Blob",
          result.tempFiles(),
          result.cacheFilesWithoutRow(),
          result.rowsForgotten(),
          result.rowsHeldInBlob());
    }
    return result;
  }

  /** Returns {temp files removed, cache files without a row removed}. */
  int[] cleanIncoming(Instant startedBefore) throws IOException, SQLException {
    Path incoming = storage.layout().incoming();
    int temps = 0;
    int landed = 0;
    if (!Files.isDirectory(incoming)) {
      return new int[] {0, 0};
    }
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(incoming, "*" + CacheLayout.TEMP_SUFFIX)) {
      for (Path temp : files) {
        if (!Files.getLastModifiedTime(temp).toInstant().isBefore(startedBefore)) {
          continue; // an ingest of this process
        }
        if (linkedElsewhere(temp) && removeUncommittedLanding(temp)) {
          landed++;
        }
        Files.deleteIfExists(temp);
        temps++;
      }
    }
    return new int[] {temps, landed};
  }

  private static boolean linkedElsewhere(Path temp) {
    try {
      return ((Number) Files.getAttribute(temp, "unix:nlink")).intValue() > 1;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return true; // cannot tell: look at its header
    }
  }

  /** Removes the cache file linked to {@code temp} if no index row holds its instance. */
  private boolean removeUncommittedLanding(Path temp) throws SQLException {
    Optional<String[]> uids = uids(temp);
    if (uids.isEmpty()) {
      return false;
    }
    String[] u = uids.get();
    Path target;
    try {
      target = storage.layout().resolve(CacheLayout.relativePath(u[0], u[1], u[2]));
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      if (Files.exists(target) && Files.isSameFile(temp, target) && index.find(u[2]).isEmpty()) {
        Files.delete(target);
        LOG.infof("crash recovery: %s was landed but never committed; removed", u[2]);
        return true;
      }
    } catch (IOException e) {
      LOG.warnf("crash recovery: could not check %s: %s", target, e.getMessage());
    }
    return false;
  }

  /** Study, series and SOP Instance UID of a spooled Part 10 file, when its header is readable. */
  private static Optional<String[]> uids(Path temp) {
    try (InputStream in = Files.newInputStream(temp)) {
      DicomInputStream dicom = new DicomInputStream(in);
      dicom.readFileMetaInformation();
      Attributes ds = dicom.readDatasetUntilPixelData();
      String study = ds.getString(Tag.StudyInstanceUID);
      String series = ds.getString(Tag.SeriesInstanceUID);
      String sop = ds.getString(Tag.SOPInstanceUID);
      return study == null || series == null || sop == null
          ? Optional.empty()
          : Optional.of(new String[] {study, series, sop});
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Returns {rows forgotten, rows found held in Blob}. */
  int[] settlePendingWithoutFile() throws SQLException {
    List<InstanceIndex.Row> missing = new ArrayList<>();
    String after = null;
    while (true) {
      List<InstanceIndex.Row> page = index.page(after, PAGE, true);
      for (InstanceIndex.Row row : page) {
        if (row.cachePath() == null || !Files.exists(storage.layout().resolve(row.cachePath()))) {
          missing.add(row);
          if (missing.size() > MAX_FORGET) {
            LOG.errorf(
                "crash recovery: more than %d instances waiting for Blob have no cache file: the"
                    + " cache looks lost or unmounted (%s), so nothing is removed; check the volume,"
                    + " then run `ponte node verify`",
                MAX_FORGET, storage.layout().root());
            return new int[] {0, 0};
          }
        }
      }
      if (page.size() < PAGE) {
        break;
      }
      after = page.get(page.size() - 1).sopInstanceUid();
    }
    int forgotten = 0;
    int inBlob = 0;
    for (InstanceIndex.Row row : missing) {
      switch (copies.blob(row.location())) {
        case INTACT -> {
          index.markHeldInBlobOnly(row.sopInstanceUid());
          inBlob++;
        }
        case ABSENT -> {
          if (index.forget(row.sopInstanceUid())) {
            LOG.warnf(
                "crash recovery: instance %s of study %s was indexed but never landed; removed from"
                    + " the index",
                row.sopInstanceUid(), row.studyInstanceUid());
            forgotten++;
          }
        }
        case UNREACHABLE ->
            LOG.warnf(
                "crash recovery: instance %s has no cache file and Blob cannot be asked; left for"
                    + " `ponte node verify`",
                row.sopInstanceUid());
      }
    }
    return new int[] {forgotten, inBlob};
  }
}
