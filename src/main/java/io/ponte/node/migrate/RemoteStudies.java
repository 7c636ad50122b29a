package io.ponte.node.migrate;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.FileMetaReader;
import io.ponte.dicom.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The studies of a {@link RemoteSource}, one after the other. A study whose checkpoint marker holds
 * the instance count the source lists now is skipped whole; a study of which some instances are
 * done (a killed run) or which gained instances is listed instance by instance and only the missing
 * ones are retrieved; any other is retrieved whole. Each instance is spooled to a temp file as it
 * arrives (streamed, bounded by the workers' backlog) and stored by a worker exactly as a file of a
 * directory; its checkpoint key is {@code studyUid/sopInstanceUid}. The study's marker (key {@code
 * studyUid}, outcome STUDY) is queued after its instances' outcomes, only when the source sent all
 * and none failed, so a rerun retries exactly what is missing.
 */
final class RemoteStudies {

  private static final Logger LOG = Logger.getLogger(RemoteStudies.class);

  private final RemoteSource remote;
  private final String source;
  private final MigrationCheckpoint checkpoint;
  private final LegacyFileMigrator migrator;
  private final ExecutorService pool;
  private final Semaphore inFlight;
  private final BlockingQueue<FileOutcome> outcomes;
  private final MigrationReport report;
  private final BandwidthLimit bandwidth;
  private final Path spoolDir;

  RemoteStudies(
      RemoteSource remote,
      String source,
      MigrationCheckpoint checkpoint,
      LegacyFileMigrator migrator,
      ExecutorService pool,
      Semaphore inFlight,
      BlockingQueue<FileOutcome> outcomes,
      MigrationReport report,
      BandwidthLimit bandwidth,
      Path spoolDir) {
    this.remote = remote;
    this.source = source;
    this.checkpoint = checkpoint;
    this.migrator = migrator;
    this.pool = pool;
    this.inFlight = inFlight;
    this.outcomes = outcomes;
    this.report = report;
    this.bandwidth = bandwidth;
    this.spoolDir = spoolDir;
  }

  void run() throws InterruptedException {
    try {
      remote.studies(this::study);
    } catch (IOException | RuntimeException e) {
      // Listing broke off (the source went away): what was done is checkpointed; rerun.
      LOG.warnf(e, "listing the studies of %s failed", source);
      report.count(
          new FileOutcome(
              new SourceFile("(study list)", null, 0, 0),
              FileOutcome.Kind.FAILED,
              null,
              "listing the studies failed: " + e));
    }
  }

  private void study(RemoteSource.Study study) throws InterruptedException {
    report.studies.incrementAndGet();
    StudyTracker tracker = new StudyTracker(study);
    try {
      Long marker = checkpoint.studyMarker(source, study.uid());
      if (marker != null && study.instances() >= 0 && marker == study.instances()) {
        report.studiesAlreadyDone.incrementAndGet();
        report.seen.addAndGet(study.instances());
        report.alreadyDone.addAndGet(study.instances());
        return;
      }
      Set<String> done = checkpoint.doneUnder(source, study.uid() + "/");
      List<RemoteSource.Instance> only = null;
      int listed = study.instances();
      if (!done.isEmpty() || marker != null) {
        List<RemoteSource.Instance> all = remote.instances(study.uid());
        listed = all.size();
        only = new ArrayList<>();
        for (RemoteSource.Instance i : all) {
          if (done.contains(study.uid() + "/" + i.sopInstanceUid())) {
            report.seen.incrementAndGet();
            report.alreadyDone.incrementAndGet();
          } else {
            only.add(i);
          }
        }
      }
      String problem =
          only != null && only.isEmpty()
              ? null
              : remote.retrieve(
                  study, only, (cls, iuid, ts, data) -> received(tracker, cls, iuid, ts, data));
      tracker.retrieved(problem, study.instances() >= 0 ? study.instances() : listed);
    } catch (IOException | SQLException | RuntimeException e) {
      LOG.warnf("study %s of %s: %s", study.uid(), source, e);
      tracker.retrieved("retrieve failed: " + e, -1);
    }
  }

  /** Spools one arriving instance and gives it to a worker; false when it could not be kept. */
  private boolean received(
      StudyTracker tracker, String cls, String iuid, String ts, InputStream data)
      throws IOException {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Path spool = null;
    try {
      spool = Files.createTempFile(spoolDir, "instance", ".dcm");
      try (OutputStream out = Files.newOutputStream(spool)) {
        bandwidth.wrap(data).transferTo(out);
      }
      report.seen.incrementAndGet();
      String sop = iuid;
      if (sop == null) {
        sop = part10Uid(spool);
      }
      String key =
          tracker.study.uid()
              + "/"
              + (sop != null ? sop : "part-" + tracker.parts.incrementAndGet());
      SourceFile file = new SourceFile(key, spool, Files.size(spool), 0);
      tracker.submitted();
      Path owned = spool;
      spool = null;
      pool.execute(
          () -> {
            FileOutcome o;
            try {
              o =
                  ts == null
                      ? migrator.migrate(file)
                      : migrator.migrateDataset(file, cls, iuid, ts);
            } catch (RuntimeException e) {
              LOG.errorf(e, "migrating %s failed", file.path());
              o = new FileOutcome(file, FileOutcome.Kind.FAILED, null, String.valueOf(e));
            }
            try {
              report.count(o);
              if (o.kind() != FileOutcome.Kind.FAILED) {
                outcomes.put(o);
              }
              tracker.finished(o);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              delete(owned);
              inFlight.release();
            }
          });
      return true;
    } catch (IOException e) {
      LOG.warnf("spooling an instance of study %s failed: %s", tracker.study.uid(), e);
      tracker.spoolFailed();
      throw e;
    } finally {
      if (spool != null) {
        delete(spool);
        inFlight.release();
      }
    }
  }

  /** The SOP Instance UID in a Part 10 file's meta, or null when it has none. */
  private static String part10Uid(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Attributes meta = FileMetaReader.read(in);
      String uid = meta == null ? null : meta.getString(Tag.MediaStorageSOPInstanceUID);
      return uid == null || uid.isBlank() ? null : uid.trim();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.debugf("spool file %s not deleted: %s", p, e.getMessage());
    }
  }

  /**
   * Counts a study's instances in the workers; when the retrieve is over and the last one is
   * stored, queues the study's marker (or reports the study failed, not marked, retried next run).
   */
  private final class StudyTracker {
    final RemoteSource.Study study;
    final AtomicInteger parts = new AtomicInteger();
    private int pending;
    private boolean retrieveOver;
    private boolean failed;
    private String problem;
    private int count = -1;

    StudyTracker(RemoteSource.Study study) {
      this.study = study;
    }

    synchronized void submitted() {
      pending++;
    }

    synchronized void spoolFailed() {
      failed = true;
    }

    void finished(FileOutcome o) throws InterruptedException {
      synchronized (this) {
        pending--;
        if (o.kind() == FileOutcome.Kind.FAILED) {
          failed = true;
        }
        if (!(retrieveOver && pending == 0)) {
          return;
        }
      }
      conclude();
    }

    void retrieved(String problem, int count) throws InterruptedException {
      synchronized (this) {
        this.problem = problem;
        this.count = count;
        retrieveOver = true;
        if (pending > 0) {
          return;
        }
      }
      conclude();
    }

    private void conclude() throws InterruptedException {
      if (problem != null) {
        report.count(
            new FileOutcome(
                new SourceFile(study.uid(), null, 0, 0),
                FileOutcome.Kind.FAILED,
                null,
                "study not complete, retried next run: " + problem));
      } else if (!failed) {
        outcomes.put(
            new FileOutcome(
                new SourceFile(study.uid(), null, count, 0), FileOutcome.Kind.STUDY, null, null));
      }
    }
  }
}
