package io.ponte.node.migrate;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a run: on a terminal one line redrawn in place (bar, files, rate, MB/s, ETA); to a
 * file or pipe a plain line every interval, so logs stay readable. The ETA is given once the walk
 * has counted every file (before that the total is unknown, and the line says so).
 */
final class MigrationProgress {

  private static final int BAR = 24;

  private final MigrationReport report;
  private final PrintStream out;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private volatile long total = -1;

  MigrationProgress(MigrationReport report, PrintStream out, boolean terminal) {
    this.report = report;
    this.out = out;
    this.terminal = terminal;
  }

  /** Stored files of the source still to be uploaded and verified, once every file is stored. */
  private volatile long verifying = -1;

  void verifying(long left) {
    verifying = left;
  }

  /** The walk is over: {@code files} is the total the ETA aims at. */
  void walkDone(long files) {
    total = files;
  }

  void print() {
    String line = line();
    if (terminal) {
      out.print("\r" + line + "\033[K");
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Ends the redrawn line so that the report starts on a line of its own. */
  void end() {
    if (terminal) {
      out.println();
    }
  }

  String line() {
    double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
    long done = report.finished();
    long moved = done - report.alreadyDone.get();
    double rate = moved / seconds;
    double mbps = report.bytes.get() / 1e6 / seconds;
    long all = total;
    StringBuilder line = new StringBuilder();
    if (all >= 0) {
      double fraction = all == 0 ? 1 : Math.min(1, (double) done / all);
      int filled = (int) Math.round(fraction * BAR);
      line.append('[')
          .append("#".repeat(filled))
          .append(".".repeat(BAR - filled))
          .append("] ")
          .append(String.format(Locale.ROOT, "%3.0f%% ", fraction * 100));
    }
    line.append(String.format(Locale.ROOT, "%d", done));
    line.append(all >= 0 ? "/" + all : "/? (counting)");
    line.append(
        String.format(
            Locale.ROOT,
            " files, %d migrated, %d duplicates, %d unreadable, %.1f files/s, %.1f MB/s",
            report.migrated.get(),
            report.duplicates.get(),
            report.unreadable.get(),
            rate,
            mbps));
    if (verifying >= 0) {
      line.append(", uploading and verifying in Blob: ").append(verifying).append(" left");
    } else if (all >= 0) {
      long left = Math.max(all - done, 0);
      line.append(", ETA ").append(rate > 0 ? duration((long) (left / rate)) : "?");
    }
    return line.toString();
  }

  static String duration(long seconds) {
    if (seconds >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
    return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
  }
}
