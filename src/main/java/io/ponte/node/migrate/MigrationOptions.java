package io.ponte.node.migrate;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One run's settings: the source directory (or null with a remote source), how many files are
 * migrated at once, the read limit (MB/s, 0 for none), where the JSON report goes (or null), how
 * often a plain progress line is printed, how long the end of the run waits for uploads to be
 * verified before it stops and leaves them to the next run, the remote source (or null), and how
 * many instances a pack holds at most.
 */
record MigrationOptions(
    Path from,
    int workers,
    double bandwidthMegabytesPerSecond,
    Path report,
    Duration progressInterval,
    Duration verifyPatience,
    Remote remote,
    int packInstances) {

  /**
   * A {@code dimse://AET@host:port} or {@code dicomweb+http(s)://...} source: our calling AE title;
   * for C-MOVE instead of C-GET, our move destination AE title and the port its Storage SCP listens
   * on; the bearer token's file (or null); the QIDO-RS page size; the network timeout; where
   * received instances are spooled until stored.
   */
  record Remote(
      String uri,
      String callingAet,
      String moveDestination,
      int movePort,
      Path tokenFile,
      int pageSize,
      Duration timeout,
      Path spoolDir) {

    boolean dimse() {
      return uri.startsWith("dimse://");
    }
  }

  static boolean remote(String from) {
    return from.startsWith("dimse://")
        || from.startsWith("dicomweb+http://")
        || from.startsWith("dicomweb+https://");
  }
}
