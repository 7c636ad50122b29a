package io.ponte.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte node archive --site S --study UID}: boots the node's configuration as a tool (as
 * {@code node verify} does) and runs the node's {@code node-archive}: the study's blobs moved to
 * the Archive tier now, as the tier policy does to an aged study, then its cache copy evicted, so
 * that a retrieve starts a restore. Exit 0: archived; 1: refused (unknown study, instances not yet
 * in Blob) or not done (a blob missing, Blob failing); 2: bad arguments.
 */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    description =
        "Move one study to the Archive tier now (as the tier policy does to an aged study) and drop"
            + " its cache copy, so that opening it starts a restore (exit 0: archived; 1: refused"
            + " or not done).")
public class NodeArchiveCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, description = "the node's site id, e.g. hospital-a")
  String site;

  @Option(names = "--study", required = true, description = "the Study Instance UID")
  String study;

  @Option(names = "--by", description = "who runs it (logged); default: the operating-system user")
  String by = System.getProperty("user.name");

  @Override
  public Integer call() {
    return NodeToolRun.run(site, List.of("node-archive", "--study", study, "--by", by));
  }
}
