package io.ponte.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte node delete-expired --site S [--dry-run]}: boots the node's configuration as a tool
 * and runs the node's {@code node-delete-expired}: the studies whose retention ended and that are
 * not on legal hold are listed and (without {@code --dry-run}) deleted, audited, and withdrawn from
 * the hub. Exit 0: done; 1: a deletion is left for the next run.
 */
@Command(
    name = "delete-expired",
    mixinStandardHelpOptions = true,
    description =
        "List and delete the studies whose retention ended and that are not on legal hold"
            + " (cache, Blob, index; audited; withdrawn from the hub).")
public class NodeDeleteExpiredCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, description = "the node's site id, e.g. hospital-a")
  String site;

  @Option(names = "--dry-run", description = "list only; delete nothing")
  boolean dryRun;

  @Option(names = "--by", description = "who runs it (audited); default: the operating-system user")
  String by = System.getProperty("user.name");

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(List.of("node-delete-expired", "--by", by));
    if (dryRun) {
      args.add("--dry-run");
    }
    return NodeToolRun.run(site, args);
  }
}
