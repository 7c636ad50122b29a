package io.ponte.node.storage.blob;

import com.azure.core.http.rest.PagedIterable;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.ArchiveStatus;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.models.RehydratePriority;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.options.BlobSetAccessTierOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link BlobStore} on one Azure Blob container. The SDK's own retries are kept short: the node's
 * upload worker owns the long back-off, so a down Blob never holds a worker thread for minutes.
 */
public class AzureBlobStore implements BlobStore {

  private static final long BLOCK_SIZE = 4L * 1024 * 1024;

  /** The block of {@link #writeChecked} (packs): fewer requests, one array per pack written. */
  static final long CHECKED_BLOCK = 8L * 1024 * 1024;

  /** The block size of {@link #writeChecked}; tests set smaller ones. */
  long checkedBlock = CHECKED_BLOCK;

  /**
   * Each writing thread's block array, grown to the largest block it has sent: an instance of its
   * own is read into it whole, and a fresh array per 0.5 MB instance would be one of G1's humongous
   * allocations per upload. The synchronous client is done with the array when the call returns.
   */
  private static final ThreadLocal<byte[]> BLOCKS = new ThreadLocal<>();

  private static byte[] blockBuffer(int size) {
    byte[] block = BLOCKS.get();
    if (block == null || block.length < size) {
      block = new byte[size];
      BLOCKS.set(block);
    }
    return block;
  }

  private final BlobContainerClient container;
  private final RehydrationDelay rehydration;
  private volatile boolean containerReady;

  public AzureBlobStore(String connectionString, String containerName) {
    this(connectionString, containerName, RehydrationDelay.service(Duration.ofHours(15)));
  }

  public AzureBlobStore(
      String connectionString, String containerName, RehydrationDelay rehydration) {
    this.rehydration = rehydration;
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
    // With its length known, an instance up to a block goes up in one PUT read straight from the
    // stream; without it the SDK first buffers the stream in block-sized (4 MiB) arrays. A plain
    // stream cannot be replayed, so for a retry the SDK still copies it into memory once.
    upload(name, BinaryData.fromStream(data, length), metadata);
  }

  /**
   * From a file the body is replayable as it is (the SDK re-reads the file on a retry), so nothing
   * is copied into the heap: measured with a stream, the SDK's copy of each 0.5 MB instance was the
   * upload's hottest frame and its arrays G1's humongous allocations (docs/performance.md).
   */
  @Override
  public void write(String name, Path file, long length, Map<String, String> metadata)
      throws IOException {
    upload(name, BinaryData.fromFile(file, 0L, length), metadata);
  }

  /**
   * Staged blocks of {@link #CHECKED_BLOCK} (8 MiB), each read from {@code data} into one reused
   * array, hashed there and sent from there with its Content-MD5 (the service refuses a block whose
   * MD5 differs from what it received: {@code Md5Mismatch}), then one Put Block List. Nothing is
   * copied again on the way: the array is the request body, and a retry resends it as it is. One
   * request at a time: a pack's concurrency is the packer's, several packs at once. What fits in
   * one block (an instance of its own, nearly always) goes up as one Put Blob with its Content-MD5,
   * which the service checks the same way: one request, not two.
   */
  @Override
  public void writeChecked(String name, InputStream data, long length, Map<String, String> metadata)
      throws IOException {
    ensureContainer();
    BlockBlobClient blob = container.getBlobClient(name).getBlockBlobClient();
    int size = (int) Math.max(1, Math.min(checkedBlock, length));
    byte[] block = blockBuffer(size);
    MessageDigest md5 = md5();
    if (length <= checkedBlock) {
      int n = data.readNBytes(block, 0, (int) length);
      if (n < length) {
        throw new IOException(
            "Blob upload of " + name + ": the data ended " + (length - n) + " bytes short");
      }
      if (data.read() >= 0) {
        throw new IOException("Blob upload of " + name + ": the data is longer than " + length);
      }
      md5.update(block, 0, n);
      try {
        blob.uploadWithResponse(
            new BlockBlobSimpleUploadOptions(
                    BinaryData.fromByteBuffer(ByteBuffer.wrap(block, 0, n)))
                .setContentMd5(md5.digest())
                .setMetadata(metadata),
            null,
            Context.NONE);
      } catch (BlobStorageException e) {
        if (e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
          containerReady = false;
        }
        throw io(name, e);
      } catch (RuntimeException e) {
        throw io(name, e);
      }
      return;
    }
    List<String> ids = new ArrayList<>();
    long sent = 0;
    while (sent < length) {
      int n = data.readNBytes(block, 0, (int) Math.min(size, length - sent));
      if (n == 0) {
        throw new IOException(
            "Blob upload of " + name + ": the data ended " + (length - sent) + " bytes short");
      }
      md5.update(block, 0, n);
      String id = blockId(ids.size());
      try {
        blob.stageBlockWithResponse(
            new BlockBlobStageBlockOptions(
                    id, BinaryData.fromByteBuffer(ByteBuffer.wrap(block, 0, n)))
                .setContentMd5(md5.digest()),
            null,
            Context.NONE);
      } catch (BlobStorageException e) {
        if (e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
          containerReady = false;
        }
        throw io("block " + ids.size() + " of " + name, e);
      } catch (RuntimeException e) {
        throw io("block " + ids.size() + " of " + name, e);
      }
      ids.add(id);
      sent += n;
    }
    if (data.read() >= 0) {
      throw new IOException("Blob upload of " + name + ": the data is longer than " + length);
    }
    try {
      blob.commitBlockListWithResponse(
          new BlockBlobCommitBlockListOptions(ids).setMetadata(metadata), null, Context.NONE);
    } catch (RuntimeException e) {
      throw io("block list of " + name, e);
    }
  }

  /** Block IDs of one length, as the service requires within a blob. */
  private static String blockId(int index) {
    return Base64.getEncoder()
        .encodeToString(
            String.format(java.util.Locale.ROOT, "block-%08d", index)
                .getBytes(StandardCharsets.US_ASCII));
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JRE", e);
    }
  }

  private void upload(String name, BinaryData body, Map<String, String> metadata)
      throws IOException {
    ensureContainer();
    BlobParallelUploadOptions options =
        new BlobParallelUploadOptions(body)
            .setMetadata(metadata)
            // Above one block, staged blocks of 4 MiB: the SDK reads chunk by chunk.
            .setParallelTransferOptions(
                new ParallelTransferOptions()
                    .setBlockSizeLong(BLOCK_SIZE)
                    .setMaxSingleUploadSizeLong(BLOCK_SIZE)
                    .setMaxConcurrency(2));
    try {
      // Overwrite is safe: a name is a SOP Instance UID, and the index admits one content per UID.
      container.getBlobClient(name).uploadWithResponse(options, null, Context.NONE);
    } catch (BlobStorageException e) {
      if (e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
        // The account lost the container (recreated, or restored empty): the next write makes it.
        containerReady = false;
      }
      throw io("upload of " + name, e);
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
  public BlobStat stat(String name) throws IOException {
    try {
      BlobProperties p = container.getBlobClient(name).getProperties();
      byte[] md5 = p.getContentMd5();
      return new BlobStat(
          p.getBlobSize(), p.getMetadata(), md5 == null ? null : HexFormat.of().formatHex(md5));
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
  public void setTier(String name, BlobTier tier) throws IOException {
    try {
      container.getBlobClient(name).setAccessTier(AccessTier.fromString(azureName(tier)));
    } catch (BlobStorageException e) {
      throw e.getStatusCode() == 404 ? new NoSuchFileException(name) : io("tier of " + name, e);
    } catch (RuntimeException e) {
      throw io("tier of " + name, e);
    }
  }

  @Override
  public TierStatus tier(String name) throws IOException {
    Optional<Instant> simulated = rehydration.pending(name);
    if (simulated.isPresent()) {
      if (!rehydration.due(simulated.get())) {
        return new TierStatus(BlobTier.ARCHIVE, true);
      }
      setTier(name, BlobTier.HOT);
      rehydration.completed(name);
    }
    BlobProperties properties;
    try {
      properties = container.getBlobClient(name).getProperties();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 404) {
        return null;
      }
      throw io("properties of " + name, e);
    } catch (RuntimeException e) {
      throw io("properties of " + name, e);
    }
    BlobTier tier =
        properties.getAccessTier() == null ? BlobTier.HOT : tierOf(properties.getAccessTier());
    ArchiveStatus archive = properties.getArchiveStatus();
    return new TierStatus(tier, archive != null);
  }

  @Override
  public Instant rehydrate(String name, BlobTier target) throws IOException {
    if (rehydration.simulated()) {
      return rehydration.request(name);
    }
    try {
      container
          .getBlobClient(name)
          .setAccessTierWithResponse(
              new BlobSetAccessTierOptions(AccessTier.fromString(azureName(target)))
                  .setPriority(RehydratePriority.STANDARD),
              null,
              Context.NONE);
    } catch (BlobStorageException e) {
      // 409: a rehydration is already pending; the first request's clock runs.
      if (e.getStatusCode() == 404) {
        throw new NoSuchFileException(name);
      }
      if (e.getStatusCode() != 409) {
        throw io("rehydration of " + name, e);
      }
    } catch (RuntimeException e) {
      throw io("rehydration of " + name, e);
    }
    return Instant.now().plus(rehydration.estimate());
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      container.getBlobClient(name).deleteIfExists();
    } catch (RuntimeException e) {
      throw io("delete of " + name, e);
    }
  }

  @Override
  public Iterable<ListedBlob> list() throws IOException {
    return list(null);
  }

  @Override
  public Iterable<ListedBlob> list(String prefix) throws IOException {
    ensureContainer();
    PagedIterable<BlobItem> items;
    try {
      items =
          container.listBlobs(
              new ListBlobsOptions()
                  .setPrefix(prefix)
                  .setDetails(new BlobListDetails().setRetrieveMetadata(true)),
              null);
    } catch (RuntimeException e) {
      throw io("listing of " + containerName(), e);
    }
    // The SDK fetches the next page as the iteration reaches it; its failures surface as
    // unchecked exceptions from the iterator.
    return () ->
        items.stream()
            .map(
                item -> {
                  BlobItemProperties p = item.getProperties();
                  OffsetDateTime created =
                      p.getCreationTime() != null ? p.getCreationTime() : p.getLastModified();
                  return new ListedBlob(
                      item.getName(),
                      p.getContentLength() == null ? -1 : p.getContentLength(),
                      created == null ? null : created.toInstant(),
                      item.getMetadata(),
                      p.getAccessTier() == null ? BlobTier.HOT : tierOf(p.getAccessTier()));
                })
            .iterator();
  }

  /** Azure's spelling of a tier ("Hot", "Cool", "Cold", "Archive"). */
  static String azureName(BlobTier tier) {
    String n = tier.name();
    return n.charAt(0) + n.substring(1).toLowerCase(java.util.Locale.ROOT);
  }

  static BlobTier tierOf(AccessTier tier) {
    return BlobTier.valueOf(tier.toString().toUpperCase(java.util.Locale.ROOT));
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
