package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.WadoIndexReader;
import io.ponte.testing.DicomTestFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The states a kill -9 can leave, made by hand, and what start-up recovery makes of them: nothing
 * unacknowledged stays visible or retried, nothing committed is lost.
 */
@QuarkusTest
@TestProfile(WholeIndexTestProfile.class)
class CrashRecoveryTest {

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject CrashRecovery recovery;

  @Inject WadoIndexReader wado;

  @TempDir Path dir;

  StoredObjects objects;
  String study;
  String series;
  String sop;
  byte[] bytes;

  @BeforeEach
  void setUp() throws Exception {
    // Recovery looks at every PENDING row: only this test's.
    WholeIndexTestProfile.emptyIndex(index);
    objects = new StoredObjects(store, index, storage, uploader);
    study = DicomTestFiles.newUid();
    series = DicomTestFiles.newUid();
    sop = DicomTestFiles.newUid();
    bytes = Files.readAllBytes(DicomTestFiles.ct(dir, study, series, sop, 20_000, 3));
  }

  @Test
  void aFileLandedByATransactionThatNeverCommittedIsRemovedWithItsTempName() throws Exception {
    // Killed between the link into the cache and the commit: both names, no row.
    Path temp = storage.layout().newTempFile();
    Files.write(temp, bytes);
    Path target = storage.layout().resolve(CacheLayout.relativePath(study, series, sop));
    Files.createDirectories(target.getParent());
    Files.createLink(target, temp);
    beforeThisProcess(temp);

    CrashRecovery.Result result = recovery.recover();

    assertThat(result.cacheFilesWithoutRow()).isEqualTo(1);
    assertThat(temp).doesNotExist();
    assertThat(target).doesNotExist();
    assertThat(index.find(sop)).isEmpty();
  }

  @Test
  void aCommittedInstanceWhoseTempNameWasLeftKeepsItsFile() throws Exception {
    objects.store(bytes);
    // Killed after the commit, before the temp name was removed.
    Path temp = storage.layout().newTempFile();
    Files.createLink(temp, objects.cacheFile(sop));
    beforeThisProcess(temp);

    recovery.recover();

    assertThat(temp).doesNotExist();
    assertThat(DicomTestFiles.sha256(objects.cacheFile(sop)))
        .isEqualTo(DicomTestFiles.sha256(bytes));
    assertThat(index.find(sop)).isPresent();
  }

  @Test
  void aTempFileOfThisProcessIsLeftAlone() throws Exception {
    Path temp = storage.layout().newTempFile();
    Files.write(temp, new byte[100]);

    recovery.recover();

    assertThat(temp).exists(); // an ingest in flight, not a leftover
    Files.delete(temp);
  }

  @Test
  void aTempFileOfACrashIsRemoved() throws Exception {
    Path orphan = storage.layout().newTempFile();
    Files.write(orphan, new byte[100]);
    beforeThisProcess(orphan);

    assertThat(recovery.recover().tempFiles()).isGreaterThanOrEqualTo(1);
    assertThat(orphan).doesNotExist();
  }

  @Test
  void anIndexedInstanceWhoseFileNeverLandedIsNoLongerListed() throws Exception {
    // What releases that committed before renaming left after a kill -9: PENDING, no file, no blob.
    objects.store(bytes);
    objects.loseCacheFile(sop);
    assertThat(wado.exists(study, null, null)).isTrue();

    assertThat(recovery.recover().rowsForgotten()).isEqualTo(1);

    assertThat(index.find(sop)).isEmpty();
    assertThat(wado.exists(study, null, null)).as("nothing left to list").isFalse();
  }

  @Test
  void aPendingInstanceAlreadyInBlobIsReadFromBlob() throws Exception {
    objects.store(bytes);
    InstanceIndex.Row row = objects.row(sop);
    // Uploaded, not yet marked, then its cache file lost.
    try (var in = Files.newInputStream(objects.cacheFile(sop))) {
      storage.blobStore().write(row.blobName(), in, row.size(), Map.of("sha256", row.sha256()));
    }
    objects.loseCacheFile(sop);

    assertThat(recovery.recover().rowsHeldInBlob()).isEqualTo(1);

    assertThat(objects.row(sop).blobState()).isEqualTo(InstanceIndex.UPLOADED);
    assertThat(objects.row(sop).cachePath()).isNull();
  }

  private static void beforeThisProcess(Path file) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(24 * 3600)));
  }
}
