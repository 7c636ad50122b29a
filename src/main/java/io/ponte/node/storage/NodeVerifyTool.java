package io.ponte.node.storage;

import io.ponte.cli.Tool;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code ponte node verify}'s work inside the node: {@link StoreVerifier} over the whole index,
 * each problem on a line of its own, then the counts; then {@link CacheSweep} over the cache's
 * files older than an hour (an ingest commits its file long before). Exit 0 when everything indexed
 * is held.
 */
@ApplicationScoped
@Unremovable
public class NodeVerifyTool implements Tool {

  @Inject StoreVerifier verifier;

  @Inject NodeStorage storage;

  @Inject CacheSweep sweep;

  /** Files younger than this are never strays: an ingest may have landed one and not committed. */
  static final Duration SWEEP_AFTER = Duration.ofHours(1);

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
    CacheSweep.Result swept = sweep.sweep(Instant.now().minus(SWEEP_AFTER), repair, out::println);
    out.printf(
        "cache files no row references whose instance Blob holds: %d (%d bytes) %s; files of no"
            + " indexed instance: %d (kept; see rebuild-index)%n",
        swept.strays(), swept.bytes(), repair ? "deleted" : "to delete", swept.withoutRow());
    out.flush();
    return report.allHeld() ? 0 : 1;
  }
}
