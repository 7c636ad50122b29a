package io.ponte.node.storage.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;

/**
 * {@link BlobStore} on one Azure Blob container. The SDK's own retries are kept short: the node's
 * upload worker owns the long back-off, so a down Blob never holds a worker thread for minutes.
 */
public class AzureBlobStore implements BlobStore {

  private static final long BLOCK_SIZE = 4L * 1024 * 1024;

  private final BlobContainerClient container;
  private volatile boolean containerReady;

  public AzureBlobStore(String connectionString, String containerName) {
    RequestRetryOptions retries =
        new RequestRetryOptions(
            RetryPolicyType.EXPONENTIAL,
            2,
            Duration.ofSeconds(60),
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            null);
    this.container =
        new BlobServiceClientBuilder()
            .connectionString(connectionString)
            .retryOptions(retries)
            .buildClient()
            .getBlobContainerClient(containerName);
  }

  public String containerName() {
    return container.getBlobContainerName();
  }

  @Override
  public void write(String name, InputStream data, long length, Map<String, String> metadata)
      throws IOException {
    ensureContainer();
    // With its length known, an instance up to a block goes up in one PUT read straight from the
    // stream;
    // without it the SDK first buffers the stream in block-sized (4 MiB) arrays, per upload.
    BlobParallelUploadOptions options =
        new BlobParallelUploadOptions(BinaryData.fromStream(data, length))
            .setMetadata(metadata)
            // Staged blocks of 4 MiB: the SDK reads the stream chunk by chunk instead of all at
            // once.
            .setParallelTransferOptions(
                new ParallelTransferOptions()
                    .setBlockSizeLong(BLOCK_SIZE)
                    .setMaxSingleUploadSizeLong(BLOCK_SIZE)
                    .setMaxConcurrency(2));
    try {
      // Overwrite is safe: a name is a SOP Instance UID, and the index admits one content per UID.
      container.getBlobClient(name).uploadWithResponse(options, null, Context.NONE);
    } catch (RuntimeException e) {
      throw io("upload of " + name, e);
    }
  }

  @Override
  public InputStream read(String name, long offset, long length) throws IOException {
    BlobClient blob = container.getBlobClient(name);
    BlobRange range = length < 0 ? new BlobRange(offset) : new BlobRange(offset, length);
    try {
      return blob.openInputStream(
          new BlobInputStreamOptions().setRange(range).setBlockSize((int) BLOCK_SIZE));
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        throw new NoSuchFileException(name);
      }
      throw io("read of " + name, e);
    } catch (RuntimeException e) {
      throw io("read of " + name, e);
    }
  }

  @Override
  public Map<String, String> metadata(String name) throws IOException {
    try {
      return container.getBlobClient(name).getProperties().getMetadata();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return null;
      }
      throw io("properties of " + name, e);
    } catch (RuntimeException e) {
      throw io("properties of " + name, e);
    }
  }

  @Override
  public void ping() throws IOException {
    try {
      ensureContainer();
      container.getPropertiesWithResponse(null, Duration.ofSeconds(5), Context.NONE);
    } catch (RuntimeException e) {
      containerReady = false;
      throw io("container " + containerName(), e);
    }
  }

  private void ensureContainer() throws IOException {
    if (!containerReady) {
      try {
        container.createIfNotExists();
        containerReady = true;
      } catch (RuntimeException e) {
        throw io("container " + containerName(), e);
      }
    }
  }

  private static IOException io(String what, RuntimeException e) {
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    String reason =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    int newline = reason.indexOf('\n');
    return new IOException(
        "Blob " + what + " failed: " + (newline > 0 ? reason.substring(0, newline) : reason), e);
  }
}
