package io.ponte.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte node verify --site S}: boots the node's configuration without serving (no HTTP, no
 * DIMSE, no schedulers, no start-up recovery, so it may run beside the serving node) and runs the
 * node's {@code node-verify} tool: the index checked against the cache and Blob, repaired from
 * whichever copy is intact. Exit 0 when every instance is held, 1 otherwise.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Check the node's index against its cache and Blob, repair from whichever copy is intact,"
            + " and report (exit 0: everything held; 1: something missing or not checkable).")
public class NodeVerifyCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, description = "the node's site id, e.g. hospital-a")
  String site;

  @Option(names = "--dry-run", description = "report only; repair nothing")
  boolean dryRun;

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(List.of("node-verify"));
    if (dryRun) {
      args.add("--dry-run");
    }
    return NodeToolRun.run(site, args);
  }
}
