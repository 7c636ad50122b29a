package io.ponte.node.storage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.index.CacheIndex;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.storage.pack.SeriesPacker;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A duplicate is a duplicate only if the stored copy is there and intact: the index alone is no
 * proof. Otherwise the identical re-send heals the store and is acknowledged as stored.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class StoreHealingTest {

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject CacheIndex cache;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject SeriesPacker packer;

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
  }

  @Test
  void aResendWhoseCacheFileAndBlobAreGoneIsStoredAgainUploadedAndRetrievable() throws Exception {
    objects.awaitUploaded(sop);
    // What a lost volume and container under a surviving database look like: indexed, not held.
    objects.loseCacheFile(sop);
    objects.loseBlob(sop);

    assertThat(objects.store(bytes).duplicate())
        .as("acknowledged as stored, not duplicate")
        .isFalse();
    assertThat(objects.row(sop).blobState()).isEqualTo(InstanceIndex.PENDING);
    assertThat(DicomTestFiles.sha256(objects.cacheFile(sop)))
        .isEqualTo(DicomTestFiles.sha256(bytes));
    objects.awaitUploaded(sop);
    assertThat(objects.blobExists(sop)).isTrue();

    byte[] retrieved =
        given()
            .auth()
            .oauth2(Tokens.client("ponte-hub"))
            .accept("multipart/related; type=\"application/dicom\"; transfer-syntax=*")
            .get("/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop)
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(indexOf(retrieved, bytes)).as("the stored bytes in the response").isNotNegative();
  }

  @Test
  void aResendOfAnEvictedInstanceWhoseBlobIsGoneIsStoredAgain() throws Exception {
    objects.awaitUploaded(sop);
    Path file = objects.cacheFile(sop);
    assertThat(cache.releaseStudyFromCache(study)).isNotEmpty();
    Files.delete(file);
    objects.loseBlob(sop);

    assertThat(objects.store(bytes).duplicate()).isFalse();
    InstanceIndex.Row row = objects.row(sop);
    assertThat(row.cachePath()).isNotNull();
    assertThat(row.blobState()).isEqualTo(InstanceIndex.PENDING);
    assertThat(DicomTestFiles.sha256(objects.cacheFile(sop)))
        .isEqualTo(DicomTestFiles.sha256(bytes));
  }

  @Test
  void aResendIsADuplicateWhileTheStoredCopyIsIntact() throws Exception {
    assertThat(objects.store(bytes).duplicate()).as("pending, cache intact").isTrue();
    objects.awaitUploaded(sop);
    assertThat(objects.store(bytes).duplicate()).as("uploaded, both intact").isTrue();
    objects.loseCacheFile(sop);
    assertThat(objects.store(bytes).duplicate()).as("uploaded, blob intact").isTrue();
  }

  @Test
  void aDamagedCacheFileIsReplacedByTheResentBytes() throws Exception {
    objects.awaitUploaded(sop);
    Path file = objects.cacheFile(sop);
    Files.write(file, new byte[bytes.length]); // same size, other content

    assertThat(objects.store(bytes).duplicate()).as("Blob held it intact").isTrue();
    assertThat(DicomTestFiles.sha256(file)).isEqualTo(DicomTestFiles.sha256(bytes));
  }

  @Test
  void aResendOfAnEvictedPackedInstanceWhoseRangeOfThePackIsDamagedIsStoredAgain()
      throws Exception {
    String neighbour = DicomTestFiles.newUid();
    byte[] neighbourBytes =
        Files.readAllBytes(DicomTestFiles.ct(dir, study, series, neighbour, 40_000, 8));
    objects.store(neighbourBytes);
    objects.awaitUploaded(sop);
    objects.awaitUploaded(neighbour);
    assertThat(packer.pack(study, series).packs()).isEqualTo(1);
    Path file = objects.cacheFile(sop);
    Path neighbourFile = objects.cacheFile(neighbour);
    assertThat(cache.releaseStudyFromCache(study)).isNotEmpty();
    Files.delete(file);
    Files.delete(neighbourFile);
    // The pack is there, the neighbour's range in it intact; this instance's range is not.
    objects.damagePackedRange(sop);

    assertThat(objects.store(neighbourBytes).duplicate()).as("its range is intact").isTrue();
    assertThat(objects.store(bytes).duplicate())
        .as("acknowledged as stored: the re-sent bytes are the only intact copy")
        .isFalse();
    InstanceIndex.Row row = objects.row(sop);
    assertThat(row.cachePath()).isNotNull();
    assertThat(row.blobState()).isEqualTo(InstanceIndex.PENDING);
    assertThat(row.packOffset()).as("out of its pack").isEqualTo(-1);
    assertThat(DicomTestFiles.sha256(objects.cacheFile(sop)))
        .isEqualTo(DicomTestFiles.sha256(bytes));
    objects.awaitUploaded(sop);
    assertThat(objects.row(sop).blobName()).endsWith(sop + ".dcm");
    assertThat(objects.blobExists(sop)).isTrue();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
