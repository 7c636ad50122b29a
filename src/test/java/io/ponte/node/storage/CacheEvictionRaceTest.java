package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.node.index.CacheIndex;
import io.ponte.node.index.InstanceIndex;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eviction against what runs beside it, on the real PostgreSQL, each interleaving made
 * deterministic by running its steps in order: eviction never takes the cache file of an instance
 * that is not safe in Blob, whether it was ingested into the study while the study's rows were
 * locked, or given its cache file back by an identical re-send after its eviction committed.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class CacheEvictionRaceTest {

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject CacheIndex cache;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject CacheEvictor evictor;

  @Inject CacheVolume volume;

  @TempDir Path dir;

  StoredObjects objects;
  String study;
  String series;
  String sop;
  byte[] bytes;

  @BeforeEach
  void setUp() throws Exception {
    objects = new StoredObjects(store, index, storage, uploader);
    study = DicomTestFiles.newUid();
    series = DicomTestFiles.newUid();
    sop = DicomTestFiles.newUid();
    bytes = Files.readAllBytes(DicomTestFiles.ct(dir, study, series, sop, 40_000, 7));
    assertThat(objects.store(bytes).duplicate()).isFalse();
    objects.awaitUploaded(sop);
  }

  @AfterEach
  void noHookLeft() {
    cache.onLocked(null);
  }

  @Test
  void anInstanceIngestedIntoTheStudyWhileItsRowsAreLockedKeepsItsCacheFile() throws Exception {
    Path evicted = objects.cacheFile(sop);
    String late = DicomTestFiles.newUid();
    byte[] lateBytes = Files.readAllBytes(DicomTestFiles.ct(dir, study, series, late, 30_000, 8));
    // The study's rows locked and seen UPLOADED; then a new instance of the study commits
    // (PENDING, its cache file its only copy); then the release.
    cache.onLocked(
        () -> {
          cache.onLocked(null);
          try {
            assertThat(objects.store(lateBytes).duplicate()).isFalse();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });

    List<CacheIndex.Released> released = cache.releaseStudyFromCache(study);

    assertThat(released).extracting(CacheIndex.Released::sopInstanceUid).containsExactly(sop);
    assertThat(objects.row(sop).cachePath()).isNull();
    assertThat(Files.exists(evicted)).isTrue();
    InstanceIndex.Row row = objects.row(late);
    assertThat(row.cachePath()).as("the new instance keeps its cache path").isNotNull();
    assertThat(DicomTestFiles.sha256(objects.cacheFile(late)))
        .isEqualTo(DicomTestFiles.sha256(lateBytes));
  }

  @Test
  void aResendHealingOntoAPathTheEvictorJustReleasedKeepsItsFile() throws Exception {
    // Indexed UPLOADED, but the cache file is damaged and the blob gone: only a re-send can help.
    Path file = objects.cacheFile(sop);
    String relative = objects.row(sop).cachePath();
    Files.write(file, new byte[bytes.length]);
    objects.loseBlob(sop);
    // The evictor's release commits (the path forgotten, to be deleted after the commit) ...
    List<CacheIndex.Released> released = cache.releaseStudyFromCache(study);
    assertThat(released).containsExactly(new CacheIndex.Released(sop, relative));
    // ... the identical re-send heals onto the same path and queues the instance for upload ...
    assertThat(objects.store(bytes).duplicate()).as("healed, not a duplicate").isFalse();
    assertThat(objects.row(sop).cachePath()).isEqualTo(relative);

    // ... then the evictor deletes what it released.
    evictor.deleteReleased(released);

    assertThat(objects.row(sop).cachePath()).isEqualTo(relative);
    assertThat(Files.exists(file)).as("the healed file, the instance's only copy").isTrue();
    assertThat(DicomTestFiles.sha256(file)).isEqualTo(DicomTestFiles.sha256(bytes));
    objects.awaitUploaded(sop);
    assertThat(objects.blobExists(sop)).isTrue();
  }

  @Test
  void aResendStillPlacingItsFileWhenTheEvictorDeletesKeepsIt() throws Exception {
    Path file = objects.cacheFile(sop);
    String relative = objects.row(sop).cachePath();
    List<CacheIndex.Released> released = cache.releaseStudyFromCache(study);
    // The heal holds the row's lock and is placing the file (not yet committed) when the evictor
    // comes to delete: the evictor must wait for it, not skip a row it sees without a cache path.
    Thread[] evicting = new Thread[1];
    index.requeueUpload(
        sop,
        relative,
        java.time.Instant.now(),
        () -> {
          Files.write(file, bytes);
          evicting[0] =
              new Thread(
                  () -> {
                    try {
                      evictor.deleteReleased(released);
                    } catch (SQLException e) {
                      throw new IllegalStateException(e);
                    }
                  });
          evicting[0].start();
          try {
            // Long enough for an evictor that does not wait to have deleted the file.
            evicting[0].join(2000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    evicting[0].join(10_000);

    assertThat(evicting[0].isAlive()).isFalse();
    assertThat(objects.row(sop).cachePath()).isEqualTo(relative);
    assertThat(Files.exists(file))
        .as("the file the heal placed, the instance's only copy")
        .isTrue();
    objects.awaitUploaded(sop);
  }

  @Test
  void theEvictorStillDeletesWhatNoRowWasGivenBack() throws Exception {
    Path file = objects.cacheFile(sop);
    List<CacheIndex.Released> released = cache.releaseStudyFromCache(study);

    assertThat(evictor.deleteReleased(released)).isEqualTo(bytes.length);

    assertThat(Files.exists(file)).isFalse();
    assertThat(objects.row(sop).cachePath()).isNull();
  }

  @Test
  void filesAReleaseCouldNotDeleteAreDeletedByTheNextRun() throws Exception {
    Path file = objects.cacheFile(sop);
    boolean[] indexDown = {true};
    CacheEvictor failing = new CacheEvictor();
    failing.storage = storage;
    failing.volume = volume;
    failing.index =
        new CacheIndex() {
          @Override
          public List<Released> releaseStudyFromCache(String studyInstanceUid) throws SQLException {
            return cache.releaseStudyFromCache(studyInstanceUid);
          }

          @Override
          public void deleteUnreferenced(List<Released> released, Deletion deletion)
              throws SQLException {
            if (indexDown[0]) {
              throw new SQLException("the index went away after the release");
            }
            cache.deleteUnreferenced(released, deletion);
          }

          @Override
          public long cachedBytes() throws SQLException {
            return cache.cachedBytes();
          }
        };

    assertThatThrownBy(() -> failing.evictStudy(study)).isInstanceOf(SQLException.class);
    assertThat(objects.row(sop).cachePath()).as("released").isNull();
    assertThat(Files.exists(file)).as("not deleted yet").isTrue();

    indexDown[0] = false;
    assertThat(failing.evictTo(Long.MAX_VALUE)).isEqualTo(bytes.length);
    assertThat(Files.exists(file)).as("deleted by the next run, not left behind").isFalse();
  }
}
