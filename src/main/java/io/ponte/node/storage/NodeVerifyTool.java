package io.ponte.node.storage;

import io.ponte.cli.Tool;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code ponte node verify}'s work inside the node: {@link StoreVerifier} over the whole index,
 * each problem on a line of its own, then the counts. Exit 0 when everything is held.
 */
@ApplicationScoped
@Unremovable
public class NodeVerifyTool implements Tool {

  @Inject StoreVerifier verifier;

  @Inject NodeStorage storage;

  @Override
  public String name() {
    return "node-verify";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    boolean repair = !args.contains("--dry-run");
    out.printf(
        "verifying the index against cache %s and Blob container %s%s%n",
        storage.layout().root(), storage.containerName(), repair ? "" : " (dry run)");
    StoreVerifier.Report report = verifier.verify(repair, out::println);
    out.printf(
        "ok %d, %s %d, missing %d, unchecked %d%n",
        report.ok(),
        repair ? "repaired" : "repairable",
        report.repaired(),
        report.missing(),
        report.unchecked());
    out.println(report.allHeld() ? "every instance is held" : "NOT every instance is held");
    out.flush();
    return report.allHeld() ? 0 : 1;
  }
}
