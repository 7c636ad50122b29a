package io.ponte.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ponte node rebuild-index --site S}: boots the node's configuration as a tool (as {@code
 * node verify} does: nothing served, no schedulers; Flyway creates the schema in an empty database)
 * and runs the node's {@code node-rebuild-index} tool. Exit 0: every object indexed; 1: some
 * unreadable or failed (listed); 2: bad arguments.
 */
@Command(
    name = "rebuild-index",
    mixinStandardHelpOptions = true,
    description =
        "Rebuild a lost node index from the site's Blob container (idempotent: a rerun skips what"
            + " is indexed), then queue the studies for publication to the hub.")
public class NodeRebuildIndexCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, description = "the node's site id, e.g. hospital-a")
  String site;

  @Option(names = "--workers", defaultValue = "4", description = "objects read at once (1-12)")
  int workers;

  @Option(
      names = "--from-replica",
      description =
          "rebuild from the replica's container (the primary account was lost too), copying each"
              + " object back to the primary")
  boolean fromReplica;

  @Override
  public Integer call() {
    return NodeToolRun.run(
        site,
        (fromReplica
            ? List.of(
                "node-rebuild-index", "--workers", Integer.toString(workers), "--from-replica")
            : List.of("node-rebuild-index", "--workers", Integer.toString(workers))));
  }
}
