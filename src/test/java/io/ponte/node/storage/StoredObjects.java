package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.ponte.node.index.InstanceIndex;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test access to a node's stored copies, to put them in the states a lost volume, a restored
 * database or a crash leaves: store, wait for the upload, lose the cache file or the blob.
 */
final class StoredObjects {

  private final InstanceStore store;
  private final InstanceIndex index;
  private final NodeStorage storage;
  private final BlobUploadWorker uploader;

  StoredObjects(
      InstanceStore store, InstanceIndex index, NodeStorage storage, BlobUploadWorker uploader) {
    this.store = store;
    this.index = index;
    this.storage = storage;
    this.uploader = uploader;
  }

  StoredInstance store(byte[] part10) throws Exception {
    return store.storePart10(DurableInstanceStoreTest.STOW, new ByteArrayInputStream(part10));
  }

  InstanceIndex.Row row(String sop) throws Exception {
    return index.find(sop).orElseThrow();
  }

  Path cacheFile(String sop) throws Exception {
    InstanceIndex.Row row = row(sop);
    return storage
        .layout()
        .resolve(
            row.cachePath() != null
                ? row.cachePath()
                : CacheLayout.relativePath(
                    row.studyInstanceUid(), row.seriesInstanceUid(), row.sopInstanceUid()));
  }

  /** Uploads what is due until {@code sop} is UPLOADED (30 s at most). */
  void awaitUploaded(String sop) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!InstanceIndex.UPLOADED.equals(row(sop).blobState())) {
      assertThat(System.currentTimeMillis())
          .as("%s uploaded within 30 s", sop)
          .isLessThan(deadline);
      uploader.uploadDue();
      Thread.sleep(100);
    }
  }

  boolean blobExists(String sop) throws Exception {
    return storage.blobStore().metadata(row(sop).blobName()) != null;
  }

  void loseBlob(String sop) throws Exception {
    new BlobServiceClientBuilder()
        .connectionString(storage.config().blobConnectionString())
        .buildClient()
        .getBlobContainerClient(storage.containerName())
        .getBlobClient(row(sop).blobName())
        .delete();
  }

  void loseCacheFile(String sop) throws Exception {
    Files.delete(cacheFile(sop));
  }
}
