package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.index.CacheIndex;
import io.ponte.node.index.InstanceIndex;
import io.ponte.testing.DicomTestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ponte node verify}'s sweep of the cache volume: a file an eviction released but a crash
 * kept it from deleting is deleted once Blob holds its instance; a file the index still references,
 * a file too young to judge, and a file of no indexed instance (perhaps the only copy of one whose
 * row was lost) are kept.
 */
@QuarkusTest
@TestProfile(WholeIndexTestProfile.class)
class CacheSweepTest {

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject CacheIndex cache;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject CacheSweep sweep;

  @Inject NodeVerifyTool tool;

  @TempDir Path dir;

  StoredObjects objects;

  @BeforeEach
  void emptyIndex() throws Exception {
    objects = new StoredObjects(store, index, storage, uploader);
    WholeIndexTestProfile.emptyIndex(index);
  }

  @Test
  void deletesOnlyOldFilesNoRowReferencesWhoseInstanceBlobHolds() throws Exception {
    Path stray = released(1, true);
    Path young = released(2, false);
    Path referenced = objects.cacheFile(uploaded(3));
    Path unknown = unknownFile();
    twoHoursOld(referenced);

    CacheSweep.Result dry = sweep.sweep(cutOff(), false, line -> {});
    assertThat(dry.strays()).isEqualTo(1);
    assertThat(Files.exists(stray)).as("a dry run deletes nothing").isTrue();

    List<String> log = new ArrayList<>();
    CacheSweep.Result result = sweep.sweep(cutOff(), true, log::add);

    assertThat(result.strays()).isEqualTo(1);
    assertThat(result.bytes()).isEqualTo(dry.bytes()).isPositive();
    assertThat(result.withoutRow()).isGreaterThanOrEqualTo(1);
    assertThat(Files.exists(stray)).as("released, in Blob, crash-orphaned").isFalse();
    assertThat(Files.exists(young)).as("younger than the cut-off").isTrue();
    assertThat(Files.exists(referenced)).as("its row's cache path").isTrue();
    assertThat(Files.exists(unknown)).as("no row: maybe the only copy").isTrue();
    assertThat(log)
        .anyMatch(line -> line.contains(storage.layout().root().relativize(unknown).toString()));
  }

  @Test
  void nodeVerifyReportsAndDeletesTheStrays() throws Exception {
    Path stray = released(4, true);

    assertThat(run("--dry-run"))
        .contains("whose instance Blob holds: 1 (")
        .contains(") to delete;");
    assertThat(Files.exists(stray)).isTrue();

    assertThat(run()).contains("whose instance Blob holds: 1 (").contains(") deleted;");
    assertThat(Files.exists(stray)).isFalse();
  }

  private String run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    tool.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A stored, uploaded instance's study released from the cache, its file left behind. */
  private Path released(int seed, boolean old) throws Exception {
    String sop = uploaded(seed);
    Path file = objects.cacheFile(sop);
    String study = objects.row(sop).studyInstanceUid();
    assertThat(cache.releaseStudyFromCache(study)).hasSize(1);
    assertThat(objects.row(sop).cachePath()).isNull();
    if (old) {
      twoHoursOld(file);
    }
    return file;
  }

  private String uploaded(int seed) throws Exception {
    String sop = DicomTestFiles.newUid();
    byte[] bytes =
        Files.readAllBytes(
            DicomTestFiles.ct(
                dir, DicomTestFiles.newUid(), DicomTestFiles.newUid(), sop, 8_000, seed));
    assertThat(objects.store(bytes).duplicate()).isFalse();
    objects.awaitUploaded(sop);
    return sop;
  }

  /** A file where an instance's would be, of an instance no row knows. */
  private Path unknownFile() throws Exception {
    Path file =
        storage
            .layout()
            .resolve(
                CacheLayout.relativePath(
                    DicomTestFiles.newUid(), DicomTestFiles.newUid(), DicomTestFiles.newUid()));
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {1, 2, 3});
    twoHoursOld(file);
    return file;
  }

  private static Instant cutOff() {
    return Instant.now().minus(NodeVerifyTool.SWEEP_AFTER);
  }

  private static void twoHoursOld(Path file) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
  }
}
