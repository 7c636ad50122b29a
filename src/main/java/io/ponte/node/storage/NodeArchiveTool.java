package io.ponte.node.storage;

import io.ponte.cli.Tool;
import io.ponte.node.index.TierIndex;
import io.ponte.role.PonteConfig;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

/**
 * {@code ponte node archive}'s work inside the node: one study to the Archive tier now, by the tier
 * policy job's own move ({@link TierPolicyJob#archive}), then its cache copy evicted by the cache
 * eviction's own rule ({@link CacheEvictor#evictStudy}: only once every instance is in Blob), so
 * that every instance's only copy is the archived blob and a retrieve starts a restore. A line per
 * outcome; exit 0 when the study is archived, 1 when refused or not (fully) done, 2 on bad
 * arguments.
 */
@ApplicationScoped
@Unremovable
public class NodeArchiveTool implements Tool {

  @Inject TierPolicyJob tierJob;

  @Inject CacheEvictor evictor;

  @Inject TierIndex tiers;

  @Inject PonteConfig ponte;

  @Override
  public String name() {
    return "node-archive";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    String study = value(args, "--study");
    String by = value(args, "--by");
    if (study == null || by == null) {
      out.println("ponte node archive: --study and --by are required");
      return 2;
    }
    int exit = archive(study, by, out);
    out.flush();
    return exit;
  }

  private int archive(String study, String by, PrintStream out) throws Exception {
    String site = ponte.site().orElse("?");
    TierPolicyJob.Archived archived = tierJob.archive(study, Instant.now(), by);
    if (archived instanceof TierPolicyJob.Archived.UnknownStudy) {
      out.printf("study %s refused: %s's index holds no such study%n", study, site);
      return 1;
    }
    if (archived instanceof TierPolicyJob.Archived.NotInBlob refused) {
      out.printf(
          "study %s refused: %d of its %d instances are not yet in Blob (still uploading);"
              + " nothing changed. Run it again once the upload backlog"
              + " (ponte_node_upload_backlog) is empty%n",
          study, refused.notInBlob(), refused.instances());
      return 1;
    }
    TierPolicyJob.Archived.Done done = (TierPolicyJob.Archived.Done) archived;
    TierPolicyJob.Moved moved = done.moved();
    out.printf(
        moved.instances() > 0
            ? "study %s: %d instances (%d bytes) moved to the Archive tier%n"
            : "study %s: already in the Archive tier%n",
        study,
        moved.instances(),
        moved.bytes());
    for (String sop : moved.missing()) {
      out.printf(
          "study %s: the blob of instance %s is missing; run ponte node verify --site %s%n",
          study, sop, site);
    }
    if (moved.blobFailure() != null) {
      out.printf(
          "study %s: Blob failed (%s); what was moved is recorded, run the command again%n",
          study, moved.blobFailure());
    }
    if (!moved.finished()) {
      out.printf("study %s is NOT archived: its cache copy is kept%n", study);
      return 1;
    }
    long freed = evictor.evictStudy(study);
    out.printf(
        freed > 0
            ? "study %s: cache copy removed (%d bytes), every instance being in Blob%n"
            : "study %s: no cache copy to remove%n",
        study,
        freed);
    TierIndex.ArchivedOnly now = tiers.archivedOnly(List.of(study)).get(study);
    int only = now == null ? 0 : now.instances();
    if (only < done.instances()) {
      out.printf(
          "study %s is NOT archived: %d of its %d instances are held only in Archive (an instance"
              + " arrived or was read meanwhile?); run the command again%n",
          study, only, done.instances());
      return 1;
    }
    out.printf(
        "study %s is archived: all %d instances held only in the Archive tier; a retrieve answers"
            + " 202 and starts a restore%n",
        study, only);
    return 0;
  }

  private static String value(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
  }
}
