package io.ponte.node.retention;

import io.ponte.cli.Tool;
import io.ponte.role.PonteConfig;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code ponte node hold}'s work inside the node: puts a study on legal hold ({@code --reason}) or
 * releases it ({@code --release}). Exit 0 when done, 1 when refused (unknown study, already held,
 * not held), 2 on bad arguments.
 */
@ApplicationScoped
@Unremovable
public class NodeHoldTool implements Tool {

  @Inject LegalHolds holds;

  @Inject RetentionJob job;

  @Inject PonteConfig ponte;

  @Override
  public String name() {
    return "node-hold";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    String study = value(args, "--study");
    String reason = value(args, "--reason");
    String by = value(args, "--by");
    boolean release = args.contains("--release");
    String site = ponte.site().orElse("?");
    if (study == null || by == null || release == (reason != null)) {
      out.println("ponte node hold: --study, --by and either --reason or --release are required");
      return 2;
    }
    try {
      if (release) {
        RetentionIndex.StudyTerms was = holds.release(site, study, by);
        out.printf(
            "study %s released from legal hold (held since %s by %s: %s); retention ends %s%n",
            study, was.heldAt(), was.heldBy(), was.holdReason(), was.endsOn());
      } else {
        RetentionIndex.StudyTerms now = holds.hold(site, study, reason, by);
        out.printf(
            "study %s on legal hold since %s by %s: %s (retention would end %s)%n",
            study, now.heldAt(), now.heldBy(), now.holdReason(), now.endsOn());
      }
    } catch (LegalHolds.HoldRefused e) {
      out.println("ponte node hold: " + e.getMessage());
      return 1;
    }
    job.run();
    out.flush();
    return 0;
  }

  static String value(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
  }
}
