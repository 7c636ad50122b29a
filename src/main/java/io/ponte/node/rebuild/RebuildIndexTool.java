package io.ponte.node.rebuild;

import io.ponte.cli.Tool;
import io.ponte.node.storage.NodeStorage;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code ponte node rebuild-index}'s work inside the node: an {@link IndexRebuild} of the site's
 * container (or, {@code --from-replica}, of the replica's, copying each object back to the
 * primary), then the report. Exit 0 when every object is indexed, 1 when some were unreadable
 * (listed with reasons) or failed (run again), 2 on a bad argument.
 */
@ApplicationScoped
@Unremovable
public class RebuildIndexTool implements Tool {

  @Inject IndexRebuild rebuild;

  @Inject NodeStorage storage;

  @Override
  public String name() {
    return "node-rebuild-index";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    int workers;
    try {
      workers = workers(args);
    } catch (IllegalArgumentException e) {
      out.println("ponte node rebuild-index: " + e.getMessage());
      return 2;
    }
    boolean fromReplica = args.contains(FROM_REPLICA);
    if (fromReplica && !storage.replicated()) {
      out.println(
          "ponte node rebuild-index: --from-replica needs a replica"
              + " (ponte.node.storage.replica.connection-string)");
      return 2;
    }
    if (fromReplica) {
      out.printf(
          "rebuilding the index from the replica's container %s with %d workers,"
              + " copying every object back to %s%n",
          storage.replicaContainerName(), workers, storage.containerName());
    } else {
      out.printf(
          "rebuilding the index from Blob container %s with %d workers%n",
          storage.containerName(), workers);
    }
    RebuildReport report = rebuild.run(workers, fromReplica, out);
    report.printText(out);
    out.flush();
    return report.complete() ? 0 : 1;
  }

  /** Rebuild from the replica account (the primary one was lost too). */
  static final String FROM_REPLICA = "--from-replica";

  static int workers(List<String> args) {
    int workers = 4;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals(FROM_REPLICA)) {
        continue;
      }
      if (!args.get(i).equals("--workers") || i + 1 >= args.size()) {
        throw new IllegalArgumentException("unknown argument " + args.get(i));
      }
      try {
        workers = Integer.parseInt(args.get(++i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--workers: not a number: " + args.get(i));
      }
    }
    if (workers < 1 || workers > 12) {
      // The node's pool has 16 connections; each worker holds one while it inserts.
      throw new IllegalArgumentException("--workers must be between 1 and 12");
    }
    return workers;
  }
}
