package io.ponte.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.node.storage.IsolatedNode;
import io.ponte.node.storage.pack.PackFormat;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.PonteProcess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code ponte migrate} run as an operator runs it, killed with SIGKILL mid-run (packs
 * of 10 written, one claimed or being written), then run again: the second run completes, and every
 * instance of the tree is in the node's index once, in a pack and byte-identical in its range of
 * it, every file checkpointed and verified, every object in Blob a pack some instance points at
 * (the killed run's unfinished pack deleted), the packing journal empty.
 */
@DisplayName("kill -9 of `ponte migrate` mid-run, then the same command again")
class MigrateCrashIT {

  private static final String SITE = "hospital-a";
  private static final IsolatedNode NODE = IsolatedNode.named(SITE, "migrate_it");
  private static final int FILES = 120;

  @TempDir static Path root;

  @TempDir static Path scratch;

  /** SOP Instance UID by relative path. */
  static final Map<String, String> sops = new HashMap<>();

  @BeforeAll
  static void makeTree() throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    for (int i = 0; i < FILES; i++) {
      String sop = DicomTestFiles.newUid();
      Path made = DicomTestFiles.ct(scratch, study, series, sop, 60_000, i);
      String relative = "d" + (i % 7) + "/f" + i;
      Files.createDirectories(root.resolve(relative).getParent());
      Files.move(made, root.resolve(relative));
      sops.put(relative, sop);
    }
  }

  @AfterAll
  static void dropNode() throws SQLException {
    NODE.drop();
  }

  @Test
  void aKilledRunIsFinishedByTheNextWithNothingLostOrDuplicated() throws Exception {
    // Slowed to 0.4 MB/s so that the kill surely lands mid-run, after the first packs.
    IsolatedNode.killWhen(
        NODE.builder()
            .launch(
                "migrate",
                "--site",
                SITE,
                "--from",
                root.toString(),
                "--workers",
                "2",
                "--bandwidth",
                "0.4",
                "--pack-instances",
                "10",
                "--progress-interval",
                "1"),
        () -> checkpointed() >= 20 && count("instance where pack_offset is not null") >= 10,
        Duration.ofMinutes(3),
        Duration.ofMillis(100),
        "still migrating");
    long afterKill = checkpointed();
    assertThat(afterKill).as("killed mid-run").isBetween(20L, FILES - 1L);
    assertThat(count("instance where pack_offset is not null"))
        .as("packs written before the kill")
        .isGreaterThanOrEqualTo(10);
    // The instances the killed run had claimed for a pack are released when the next run starts
    // (the killed run's lock went with its session): nothing waits out a lease.

    Path reportFile = scratch.resolve("report.json");
    PonteProcess.Builder.Run second =
        NODE.builder()
            .run(
                Duration.ofMinutes(5),
                "migrate",
                "--site",
                SITE,
                "--from",
                root.toString(),
                "--workers",
                "3",
                "--pack-instances",
                "10",
                "--report",
                reportFile.toString());
    assertThat(second.exitCode()).as(second.output()).isZero();
    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    assertThat(report.get("seen").asLong()).isEqualTo(FILES);
    assertThat(report.get("alreadyDone").asLong()).isEqualTo(afterKill);
    // What the killed run stored but had not checkpointed comes back as a duplicate.
    assertThat(
            report.get("alreadyDone").asLong()
                + report.get("migrated").asLong()
                + report.get("duplicates").asLong())
        .isEqualTo(FILES);
    assertThat(report.get("unreadable").asLong()).isZero();
    assertThat(report.get("failed").asLong()).isZero();
    assertThat(report.get("unverified").asLong()).isZero();

    Map<String, String[]> rows = NODE.instances("sha256", "blob_name", "blob_state", "pack_offset");
    assertThat(rows.keySet())
        .as("every instance indexed, once")
        .hasSize(FILES)
        .containsExactlyInAnyOrderElementsOf(sops.values());
    for (Map.Entry<String, String> file : sops.entrySet()) {
      String[] row = rows.get(file.getValue());
      assertThat(row[2]).as("%s uploaded", file.getKey()).isEqualTo("UPLOADED");
      assertThat(row[3]).as("%s packed", file.getKey()).isNotNull();
      assertThat(row[0]).isEqualTo(DicomTestFiles.sha256(root.resolve(file.getKey())));
      long size = Files.size(root.resolve(file.getKey()));
      try (InputStream in = NODE.open(row[1], row[3], size)) {
        assertThat(DicomTestFiles.sha256(in)).isEqualTo(row[0]);
      }
    }
    assertThat(count("pack_journal")).as("no unfinished pack").isZero();
    try (Connection c = NODE.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select count(*), count(verified_at), count(distinct sop_instance_uid)"
                    + " from migration_file")) {
      rs.next();
      assertThat(rs.getLong(1)).as("every file checkpointed").isEqualTo(FILES);
      assertThat(rs.getLong(2)).as("every file verified").isEqualTo(FILES);
      assertThat(rs.getLong(3)).isEqualTo(FILES);
    }
    assertThat(NODE.blobNames())
        .as("packs of at most 10, each in use: none left over from the killed run")
        .hasSizeBetween(FILES / 10, FILES / 2)
        .allMatch(PackFormat::isPackName)
        .containsExactlyInAnyOrderElementsOf(
            rows.values().stream().map(r -> r[1]).distinct().toList());
  }

  private static long checkpointed() {
    return count("migration_file");
  }

  private static long count(String what) {
    return NODE.count(what);
  }
}
