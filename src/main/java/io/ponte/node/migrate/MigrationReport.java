package io.ponte.node.migrate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's counts, updated by the workers as they go (the progress line reads them), and the final
 * report: text, and JSON for {@code --report FILE}. Unreadable files are listed up to {@link
 * #LISTED}; all of them, with reasons, stay in the checkpoint table.
 */
final class MigrationReport {

  /** Unreadable files held for the report; beyond, only counted (the table has them all). */
  static final int LISTED = 10_000;

  record Unreadable(String path, String reason) {}

  final AtomicLong seen = new AtomicLong();
  final AtomicLong alreadyDone = new AtomicLong();
  final AtomicLong migrated = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong dicomdirs = new AtomicLong();
  final AtomicLong unreadable = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong verified = new AtomicLong();

  /** Packs written (verified and switched to) and the instances they hold. */
  final AtomicLong packs = new AtomicLong();

  final AtomicLong packedInstances = new AtomicLong();

  /** Studies listed by a remote source, and those skipped whole as done by an earlier run. */
  final AtomicLong studies = new AtomicLong();

  final AtomicLong studiesAlreadyDone = new AtomicLong();

  /** Stored files whose Blob copy was not verified by the end of the run (done by the next). */
  final AtomicLong unverified = new AtomicLong();

  private final List<Unreadable> unreadableFiles = Collections.synchronizedList(new ArrayList<>());
  private final List<Unreadable> failedFiles = Collections.synchronizedList(new ArrayList<>());
  private volatile double durationSeconds;

  void count(FileOutcome o) {
    switch (o.kind()) {
      case MIGRATED -> migrated.incrementAndGet();
      case DUPLICATE -> duplicates.incrementAndGet();
      case DICOMDIR -> dicomdirs.incrementAndGet();
      case UNREADABLE -> {
        unreadable.incrementAndGet();
        list(unreadableFiles, o);
      }
      case FAILED -> {
        failed.incrementAndGet();
        list(failedFiles, o);
      }
      case STUDY -> {
        return;
      }
    }
    if (o.kind() != FileOutcome.Kind.FAILED) {
      bytes.addAndGet(o.file().size());
    }
  }

  /** A file the walk could not even look at (e.g. a directory without permission). */
  void unreadable(String path, String reason) {
    seen.incrementAndGet();
    unreadable.incrementAndGet();
    if (unreadableFiles.size() < LISTED) {
      unreadableFiles.add(new Unreadable(path, reason));
    }
  }

  private static void list(List<Unreadable> list, FileOutcome o) {
    if (list.size() < LISTED) {
      list.add(new Unreadable(o.file().path(), o.reason()));
    }
  }

  /** Files this run has finished with (skipped as done, or given an outcome). */
  long finished() {
    return alreadyDone.get()
        + migrated.get()
        + duplicates.get()
        + dicomdirs.get()
        + unreadable.get()
        + failed.get();
  }

  void durationSeconds(double seconds) {
    this.durationSeconds = seconds;
  }

  /** Complete when nothing failed and every stored file's Blob copy is verified. */
  boolean complete() {
    return failed.get() == 0 && unverified.get() == 0;
  }

  void printText(PrintStream out) {
    out.printf(
        "seen %d: migrated %d, duplicates %d, already done %d, DICOMDIR %d, unreadable %d,"
            + " failed %d%n",
        seen.get(),
        migrated.get(),
        duplicates.get(),
        alreadyDone.get(),
        dicomdirs.get(),
        unreadable.get(),
        failed.get());
    out.printf(
        "%.1f MB read in %.1f s; Blob copies verified %d, not yet verified %d%n",
        bytes.get() / 1e6, durationSeconds, verified.get(), unverified.get());
    out.printf("packs written %d, holding %d instances%n", packs.get(), packedInstances.get());
    if (studies.get() > 0) {
      out.printf(
          "studies listed by the source %d, of which done by an earlier run %d%n",
          studies.get(), studiesAlreadyDone.get());
    }
    synchronized (unreadableFiles) {
      for (Unreadable u : unreadableFiles) {
        out.printf("unreadable: %s: %s%n", u.path(), u.reason());
      }
    }
    synchronized (failedFiles) {
      for (Unreadable u : failedFiles) {
        out.printf("failed (retried next run): %s: %s%n", u.path(), u.reason());
      }
    }
    if (unreadable.get() > LISTED) {
      out.printf(
          "... %d more unreadable files: see table migration_file (outcome UNREADABLE)%n",
          unreadable.get() - LISTED);
    }
    out.println(
        complete()
            ? "migration complete"
            : "migration NOT complete: run the same command again to finish it");
  }

  void writeJson(Writer writer) throws IOException {
    try (JsonGenerator json = new JsonFactory().createGenerator(writer)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeNumberField("seen", seen.get());
      json.writeNumberField("migrated", migrated.get());
      json.writeNumberField("duplicates", duplicates.get());
      json.writeNumberField("unreadable", unreadable.get());
      json.writeNumberField("bytes", bytes.get());
      json.writeNumberField("durationSeconds", Math.round(durationSeconds * 1000) / 1000.0);
      json.writeNumberField("alreadyDone", alreadyDone.get());
      json.writeNumberField("dicomdirs", dicomdirs.get());
      json.writeNumberField("failed", failed.get());
      json.writeNumberField("verified", verified.get());
      json.writeNumberField("unverified", unverified.get());
      json.writeNumberField("packs", packs.get());
      json.writeNumberField("packedInstances", packedInstances.get());
      json.writeNumberField("studies", studies.get());
      json.writeNumberField("studiesAlreadyDone", studiesAlreadyDone.get());
      json.writeBooleanField("complete", complete());
      json.writeArrayFieldStart("unreadableFiles");
      synchronized (unreadableFiles) {
        for (Unreadable u : unreadableFiles) {
          json.writeStartObject();
          json.writeStringField("path", u.path());
          json.writeStringField("reason", u.reason());
          json.writeEndObject();
        }
      }
      json.writeEndArray();
      json.writeArrayFieldStart("failedFiles");
      synchronized (failedFiles) {
        for (Unreadable u : failedFiles) {
          json.writeStartObject();
          json.writeStringField("path", u.path());
          json.writeStringField("reason", u.reason());
          json.writeEndObject();
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }
}
