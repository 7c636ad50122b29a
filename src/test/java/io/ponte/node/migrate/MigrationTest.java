package io.ponte.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.storage.InstanceBlobs;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.WholeIndexTestProfile;
import io.ponte.node.storage.pack.PackFormat;
import io.ponte.testing.DicomTestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ponte migrate} inside the node against real PostgreSQL and Azurite: a mixed legacy tree
 * gives exact counts, every good instance ends up indexed and verified in Blob; a second run moves
 * nothing; a new file is the only thing a third run moves. No scheduled uploads: the tool drives
 * uploads as it does in a tool run.
 */
@QuarkusTest
@TestProfile(WholeIndexTestProfile.class)
class MigrationTest {

  @Inject MigrateTool tool;

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  @TempDir Path root;

  @TempDir Path scratch;

  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void emptyIndex() throws Exception {
    WholeIndexTestProfile.emptyIndex(index);
  }

  @Test
  void movesEveryGoodInstanceOnceListsTheRestAndASecondRunMovesNothing() throws Exception {
    LegacyTree tree = new LegacyTree(root, scratch);

    JsonNode first = migrate("first");
    assertThat(first.get("seen").asLong()).isEqualTo(LegacyTree.SEEN);
    assertThat(first.get("migrated").asLong()).isEqualTo(LegacyTree.MIGRATED);
    assertThat(first.get("duplicates").asLong()).isEqualTo(LegacyTree.DUPLICATES);
    assertThat(first.get("unreadable").asLong()).isEqualTo(LegacyTree.UNREADABLE);
    assertThat(first.get("dicomdirs").asLong()).isEqualTo(LegacyTree.DICOMDIRS);
    assertThat(first.get("failed").asLong()).isZero();
    assertThat(first.get("unverified").asLong()).isZero();
    assertThat(first.get("bytes").asLong()).isEqualTo(treeBytes());
    List<String> unreadable = new ArrayList<>();
    first.get("unreadableFiles").forEach(f -> unreadable.add(f.get("path").asText()));
    assertThat(unreadable).containsExactlyInAnyOrder("README.txt", "2009/CT/a/IM9");
    first.get("unreadableFiles").forEach(f -> assertThat(f.get("reason").asText()).isNotBlank());

    // One series: one pack, verified by its re-read (nothing left for the one-by-one pass).
    assertThat(first.get("packs").asLong()).isEqualTo(1);
    assertThat(first.get("packedInstances").asLong()).isEqualTo(LegacyTree.MIGRATED);
    assertThat(first.get("verified").asLong())
        .isEqualTo(LegacyTree.MIGRATED + LegacyTree.DUPLICATES);
    for (String sop : tree.good) {
      InstanceIndex.Row row = index.find(sop).orElseThrow(() -> new AssertionError(sop));
      assertThat(row.studyInstanceUid()).isEqualTo(tree.study);
      assertThat(row.blobState()).as("%s uploaded", sop).isEqualTo(InstanceIndex.UPLOADED);
      assertThat(row.location().packed()).as("%s packed", sop).isTrue();
      assertThat(PackFormat.isPackName(row.blobName())).isTrue();
      // Read as WADO-RS reads an evicted instance: its range of the pack only.
      try (InputStream in = InstanceBlobs.primary(storage.blobStore(), row.location())) {
        assertThat(DicomTestFiles.sha256(in)).isEqualTo(row.sha256());
      }
    }
    // The Part 10 files are stored byte-exact.
    InstanceIndex.Row im0 = index.find(tree.good.get(0)).orElseThrow();
    assertThat(im0.sha256()).isEqualTo(DicomTestFiles.sha256(root.resolve("2009/CT/a/IM0")));

    JsonNode second = migrate("second");
    assertThat(second.get("seen").asLong()).isEqualTo(LegacyTree.SEEN);
    assertThat(second.get("alreadyDone").asLong()).isEqualTo(LegacyTree.SEEN);
    assertThat(second.get("migrated").asLong()).isZero();
    assertThat(second.get("duplicates").asLong()).isZero();
    assertThat(second.get("bytes").asLong()).isZero();

    // Incremental: a new file, and a changed one (the text file, now an instance), are moved.
    String newSop = DicomTestFiles.newUid();
    Path made = DicomTestFiles.ct(scratch, tree.study, DicomTestFiles.newUid(), newSop, 5000, 11);
    Files.move(made, root.resolve("2009/CT/a/IM10"));
    String replacedSop = DicomTestFiles.newUid();
    made = DicomTestFiles.ct(scratch, tree.study, DicomTestFiles.newUid(), replacedSop, 5000, 12);
    Files.move(made, root.resolve("README.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    JsonNode third = migrate("third");
    assertThat(third.get("seen").asLong()).isEqualTo(LegacyTree.SEEN + 1);
    assertThat(third.get("alreadyDone").asLong()).isEqualTo(LegacyTree.SEEN - 1);
    assertThat(third.get("migrated").asLong()).isEqualTo(2);
    assertThat(third.get("unreadable").asLong()).isZero();
    assertThat(index.find(newSop)).isPresent();
    assertThat(index.find(replacedSop)).isPresent();
  }

  @Test
  void refusesBadArguments() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    assertThat(tool.run(List.of("--workers", "2"), out)).isEqualTo(2);
    assertThat(tool.run(List.of("--from", root.resolve("absent").toString()), out)).isEqualTo(2);
    assertThat(tool.run(List.of("--from", root.toString(), "--workers", "0"), out)).isEqualTo(2);
    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("--from is required", "not a directory", "--workers must be");
  }

  private long treeBytes() throws Exception {
    try (var files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private JsonNode migrate(String name) throws Exception {
    Path report = scratch.resolve(name + ".json");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit =
        tool.run(
            List.of(
                "--from",
                root.toString(),
                "--workers",
                "3",
                "--report",
                report.toString(),
                "--progress-interval",
                "1"),
            new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("migration complete");
    return json.readTree(report.toFile());
  }
}
