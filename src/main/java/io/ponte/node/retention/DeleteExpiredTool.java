package io.ponte.node.retention;

import io.ponte.cli.Tool;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code ponte node delete-expired}'s work inside the node: lists the studies whose retention ended
 * (and those kept by a legal hold) and, unless {@code --dry-run}, deletes the former. Exit 0 when
 * everything due was deleted (or, dry run, listed), 1 when a deletion is left for the next run.
 */
@ApplicationScoped
@Unremovable
public class DeleteExpiredTool implements Tool {

  @Inject ExpiredStudyDeletion deletion;

  @Inject RetentionJob job;

  @Override
  public String name() {
    return "node-delete-expired";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    boolean dryRun = args.contains("--dry-run");
    String by = NodeHoldTool.value(args, "--by");
    out.println(
        dryRun
            ? "studies whose retention ended (dry run: nothing is deleted)"
            : "deleting the studies whose retention ended and that are not on legal hold");
    ExpiredStudyDeletion.Report r = deletion.run(dryRun, by, out::println);
    job.run();
    if (dryRun) {
      out.printf("%d would be deleted, %d kept on legal hold%n", r.expired(), r.held());
    } else {
      out.printf(
          "%d deleted, %d interrupted deletions finished, %d kept on legal hold, %d failed%n",
          r.deleted(), r.finished(), r.held(), r.failed());
    }
    out.flush();
    return r.failed() == 0 ? 0 : 1;
  }
}
