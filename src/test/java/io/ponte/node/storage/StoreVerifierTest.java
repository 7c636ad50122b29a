package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.index.InstanceIndex;
import io.ponte.node.storage.pack.SeriesPacker;
import io.ponte.testing.DicomTestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
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
 * {@code ponte node verify}: every indexed instance checked against the cache and Blob, repaired
 * from whichever copy is intact, the rest reported missing, and the exit status says whether
 * everything is held.
 */
@QuarkusTest
@TestProfile(WholeIndexTestProfile.class)
class StoreVerifierTest {

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject StoreVerifier verifier;

  @Inject NodeVerifyTool tool;

  @Inject SeriesPacker packer;

  @TempDir Path dir;

  StoredObjects objects;

  @BeforeEach
  void emptyIndex() throws Exception {
    objects = new StoredObjects(store, index, storage, uploader);
    WholeIndexTestProfile.emptyIndex(index);
  }

  @Test
  void repairsFromWhicheverCopyIsIntactAndReportsWhatNeitherHolds() throws Exception {
    String intact = storeOne(1);
    String cacheLost = storeOne(2);
    String blobLost = storeOne(3);
    String bothLost = storeOne(4);
    for (String sop : List.of(intact, cacheLost, blobLost, bothLost)) {
      objects.awaitUploaded(sop);
    }
    String pending = storeOne(5);
    objects.loseCacheFile(cacheLost);
    objects.loseBlob(blobLost);
    objects.loseCacheFile(bothLost);
    objects.loseBlob(bothLost);

    List<String> lines = new ArrayList<>();
    StoreVerifier.Report dry = verifier.verify(false, lines::add);
    assertThat(dry).isEqualTo(new StoreVerifier.Report(2, 2, 1, 0));
    assertThat(objects.cacheFile(cacheLost)).as("a dry run repairs nothing").doesNotExist();
    assertThat(lines).anyMatch(l -> l.startsWith("missing: instance " + bothLost));

    StoreVerifier.Report repaired = verifier.verify(true, line -> {});
    assertThat(repaired).isEqualTo(new StoreVerifier.Report(2, 2, 1, 0));
    assertThat(repaired.allHeld()).isFalse();
    assertThat(DicomTestFiles.sha256(objects.cacheFile(cacheLost)))
        .isEqualTo(objects.row(cacheLost).sha256());
    assertThat(objects.blobExists(blobLost)).isTrue();
    assertThat(objects.row(blobLost).blobState()).isEqualTo(InstanceIndex.UPLOADED);
    assertThat(objects.row(pending).blobState()).isEqualTo(InstanceIndex.PENDING);

    assertThat(verifier.verify(true, line -> {})).isEqualTo(new StoreVerifier.Report(4, 0, 1, 0));
  }

  @Test
  void theToolExitsZeroOnlyWhenEverythingIsHeld() throws Exception {
    String kept = storeOne(6);
    String lost = storeOne(7);
    objects.awaitUploaded(kept);
    objects.awaitUploaded(lost);
    objects.loseCacheFile(lost);
    objects.loseBlob(lost);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(tool.run(List.of(), new PrintStream(out, true, StandardCharsets.UTF_8)))
        .isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("missing: instance " + lost)
        .contains("ok 1, repaired 0, missing 1, unchecked 0");

    index.forget(lost); // the operator's decision once the sender cannot send it again
    out.reset();
    assertThat(tool.run(List.of(), new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("every instance is held");
  }

  @Test
  void aPackedInstanceWhoseRangeOfThePackIsDamagedIsNotHeldThere() throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    String intact = storeOne(study, series, 11);
    String damaged = storeOne(study, series, 12);
    String lost = storeOne(study, series, 13);
    for (String sop : List.of(intact, damaged, lost)) {
      objects.awaitUploaded(sop);
    }
    assertThat(packer.pack(study, series).packs()).isEqualTo(1);
    String pack = objects.row(intact).blobName();
    // Both ranges damaged; the cache still holds one of them intact, not the other.
    objects.damagePackedRange(damaged);
    objects.damagePackedRange(lost);
    objects.loseCacheFile(lost);

    List<String> lines = new ArrayList<>();
    StoreVerifier.Report dry = verifier.verify(false, lines::add);
    assertThat(dry).isEqualTo(new StoreVerifier.Report(1, 1, 1, 0));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("repairable: instance " + damaged) && l.contains("blob"))
        .anyMatch(l -> l.startsWith("missing: instance " + lost));

    assertThat(verifier.verify(true, line -> {})).isEqualTo(new StoreVerifier.Report(1, 1, 1, 0));
    InstanceIndex.Row repaired = objects.row(damaged);
    assertThat(repaired.packOffset()).as("uploaded again out of its pack").isEqualTo(-1);
    assertThat(repaired.blobName()).endsWith(damaged + ".dcm");
    assertThat(repaired.blobState()).isEqualTo(InstanceIndex.UPLOADED);
    assertThat(objects.blobExists(damaged)).isTrue();
    assertThat(objects.row(intact).blobName()).isEqualTo(pack);

    assertThat(verifier.verify(true, line -> {})).isEqualTo(new StoreVerifier.Report(2, 0, 1, 0));
  }

  private String storeOne(long seed) throws Exception {
    return storeOne(DicomTestFiles.newUid(), DicomTestFiles.newUid(), seed);
  }

  private String storeOne(String study, String series, long seed) throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 8_000, seed);
    objects.store(Files.readAllBytes(file));
    return sop;
  }
}
