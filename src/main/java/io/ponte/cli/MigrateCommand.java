package io.ponte.cli;

import io.ponte.role.Role;
import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte migrate --site S --from DIR}: boots the node's configuration as a tool (as {@code
 * node verify} does, so it may run beside the serving node) and runs the node's {@code
 * node-migrate} tool. Exit 0: complete; 1: something left for the next run (run it again); 2: bad
 * arguments.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description =
        "Move a legacy archive (a directory tree of DICOM files) into the node: resumable,"
            + " incremental, parallel, verified in Blob, published like ingested instances.")
public class MigrateCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, description = "the node's site id, e.g. hospital-a")
  String site;

  @Option(
      names = "--from",
      required = true,
      description = "the source: a directory (dimse:// and dicomweb+http:// sources are planned)")
  String from;

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

  @Override
  public Integer call() {
    if (from.contains("://")) {
      System.err.println(
          "ponte migrate: only a directory source is built; " + from + " is planned");
      return 2;
    }
    Role.NODE.configuration().forEach(System::setProperty);
    System.setProperty("ponte.site", site);
    NodeVerifyCommand.TOOL_RUN.forEach(System::setProperty);
    List<String> args =
        new ArrayList<>(
            List.of(
                "node-migrate",
                "--from",
                Path.of(from).toAbsolutePath().toString(),
                "--workers",
                Integer.toString(workers),
                "--bandwidth",
                Double.toString(bandwidth),
                "--progress-interval",
                Long.toString(progressInterval),
                "--verify-patience",
                Long.toString(verifyPatience)));
    if (report != null) {
      args.addAll(List.of("--report", report.toAbsolutePath().toString()));
    }
    if (System.console() != null) {
      args.add("--terminal");
    }
    Quarkus.run(
        ToolApplication.class,
        (exitCode, failure) -> {
          if (failure != null) {
            failure.printStackTrace();
          }
          System.exit(exitCode);
        },
        args.toArray(String[]::new));
    return PonteCommand.KEEP_RUNNING;
  }
}
