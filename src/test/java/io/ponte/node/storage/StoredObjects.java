package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import io.ponte.node.index.InstanceIndex;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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

  /**
   * Flips one byte inside a packed instance's range of its pack (the pack written again under its
   * name with its metadata, as an overwrite or bit rot would leave it): the pack is still there,
   * the other instances in it intact.
   */
  void damagePackedRange(String sop) throws Exception {
    InstanceIndex.Row row = row(sop);
    assertThat(row.packOffset()).as("%s is packed", sop).isNotNegative();
    BlobClient blob =
        new BlobServiceClientBuilder()
            .connectionString(storage.config().blobConnectionString())
            .buildClient()
            .getBlobContainerClient(storage.containerName())
            .getBlobClient(row.blobName());
    byte[] pack = blob.downloadContent().toBytes();
    int at = (int) (row.packOffset() + row.size() - 20);
    pack[at] = (byte) ~pack[at];
    Map<String, String> metadata = blob.getProperties().getMetadata();
    blob.uploadWithResponse(
        new BlobParallelUploadOptions(BinaryData.fromBytes(pack)).setMetadata(metadata),
        null,
        Context.NONE);
  }

  void loseCacheFile(String sop) throws Exception {
    Files.delete(cacheFile(sop));
  }
}
