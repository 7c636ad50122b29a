package io.ponte.node.migrate;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One run's settings: the source directory, how many files are migrated at once, the read limit
 * (MB/s, 0 for none), where the JSON report goes (or null), how often a plain progress line is
 * printed, and how long the end of the run waits for uploads to be verified before it stops and
 * leaves them to the next run.
 */
record MigrationOptions(
    Path from,
    int workers,
    double bandwidthMegabytesPerSecond,
    Path report,
    Duration progressInterval,
    Duration verifyPatience) {}
