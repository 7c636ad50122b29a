package io.ponte.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte migrate --site S --from DIR|dimse://AET@host:port|dicomweb+http(s)://...}: boots the
 * node's configuration as a tool (as {@code node verify} does, so it may run beside the serving
 * node) and runs the node's {@code node-migrate} tool. Exit 0: complete; 1: something left for the
 * next run (run it again); 2: bad arguments; 3: the remote source cannot be used (unreachable,
 * refused).
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Move a legacy archive (a directory tree of DICOM files, a PACS over DIMSE, or a DICOMweb"
            + " archive) into the node: resumable,"
            + " incremental, parallel, verified in Blob, published like ingested instances.")
public class MigrateCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, description = "the node's site id, e.g. hospital-a")
  String site;

  @Option(
      names = "--from",
      required = true,
      description =
          "the source: a directory, dimse://AET@host:port (C-FIND + C-GET, or C-MOVE with"
              + " --move-dest), or dicomweb+http(s)://host:port/path (QIDO-RS + WADO-RS)")
  String from;

  @Option(
      names = "--calling-aet",
      defaultValue = "PONTE_MIGRATE",
      description = "our AE title towards a dimse:// source")
  String callingAet;

  @Option(
      names = "--move-dest",
      description =
          "retrieve by C-MOVE to this AE title (known to the PACS) instead of C-GET; needs"
              + " --move-port")
  String moveDest;

  @Option(
      names = "--move-port",
      defaultValue = "0",
      description = "the port our temporary Storage SCP listens on for --move-dest")
  int movePort;

  @Option(
      names = "--token-file",
      description =
          "a bearer token for a dicomweb source (default: the PONTE_MIGRATE_TOKEN variable)")
  Path tokenFile;

  @Option(
      names = "--page-size",
      defaultValue = "100",
      description = "studies per QIDO-RS page of a dicomweb source")
  int pageSize;

  @Option(
      names = "--timeout",
      defaultValue = "60",
      description = "seconds a remote source may stay silent before a request fails")
  long timeout;

  @Option(
      names = "--spool",
      description = "where received instances wait until stored (default: the temp directory)")
  Path spool;

  @Option(names = "--workers", defaultValue = "4", description = "files migrated at once (1-12)")
  int workers;

  @Option(
      names = "--bandwidth",
      defaultValue = "0",
      description = "read at most this many MB/s from the source (0: no limit)")
  double bandwidth;

  @Option(names = "--report", description = "also write the final report as JSON to this file")
  Path report;

  @Option(
      names = "--progress-interval",
      defaultValue = "10",
      description = "seconds between progress lines when not on a terminal")
  long progressInterval;

  @Option(
      names = "--verify-patience",
      defaultValue = "60",
      description = "seconds the end of the run waits without progress for uploads to be verified")
  long verifyPatience;

  @Option(
      names = "--pack-instances",
      defaultValue = "2000",
      description =
          "instances per pack at most (a pack also ends at 64 MB or its series' end);"
              + " 0: no packs, one blob per instance")
  int packInstances;

  @Override
  public Integer call() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "node-migrate",
                "--from",
                from.contains("://") ? from : Path.of(from).toAbsolutePath().toString(),
                "--workers",
                Integer.toString(workers),
                "--bandwidth",
                Double.toString(bandwidth),
                "--progress-interval",
                Long.toString(progressInterval),
                "--verify-patience",
                Long.toString(verifyPatience),
                "--pack-instances",
                Integer.toString(packInstances)));
    args.addAll(
        List.of(
            "--calling-aet",
            callingAet,
            "--move-port",
            Integer.toString(movePort),
            "--page-size",
            Integer.toString(pageSize),
            "--timeout",
            Long.toString(timeout)));
    if (moveDest != null) {
      args.addAll(List.of("--move-dest", moveDest));
    }
    if (tokenFile != null) {
      args.addAll(List.of("--token-file", tokenFile.toAbsolutePath().toString()));
    }
    if (spool != null) {
      args.addAll(List.of("--spool", spool.toAbsolutePath().toString()));
    }
    if (report != null) {
      args.addAll(List.of("--report", report.toAbsolutePath().toString()));
    }
    if (System.console() != null) {
      args.add("--terminal");
    }
    return NodeToolRun.run(site, args);
  }
}
