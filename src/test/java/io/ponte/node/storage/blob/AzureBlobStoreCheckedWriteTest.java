package io.ponte.node.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.ponte.testing.AzuriteContainer;
import io.ponte.testing.TcpForwarder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Checked writes (packs, and instances of their own) on the real Azurite: blocks sent with their
 * MD5 and committed in order read back byte for byte; what fits in one block goes up as one Put
 * Blob with its MD5; a block or a Put Blob corrupted on its way is refused by the service itself
 * and nothing is committed; data shorter or longer than announced commits nothing.
 */
class AzureBlobStoreCheckedWriteTest {

  @RegisterExtension
  static final AzuriteContainer CONTAINER = new AzuriteContainer("ponte-checked-");

  private static final int BLOCK = 1 << 20;

  @Test
  void blocksWithTheirMd5AreCommittedInOrderAndReadBackByteForByte() throws Exception {
    AzureBlobStore store = store(CONTAINER.connectionString());
    byte[] data = bytes(BLOCK * 2 + 12_345, 1);

    store.writeChecked("several", new ByteArrayInputStream(data), data.length, Map.of("k", "v"));

    try (InputStream in = store.read("several")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    BlobStat stat = store.stat("several");
    assertThat(stat.size()).isEqualTo(data.length);
    assertThat(stat.metadata()).containsEntry("k", "v");
  }

  @Test
  void aBlockCorruptedOnItsWayIsRefusedByTheServiceAndNothingIsCommitted() throws Exception {
    AzureBlobStore direct = store(CONTAINER.connectionString());
    direct.ping(); // the container exists: the corrupted connection carries only the blocks
    byte[] data = bytes(BLOCK * 2, 2);
    try (TcpForwarder link = TcpForwarder.started(10000)) {
      AzureBlobStore store = store(AzuriteContainer.connectionString(link.port()));
      // Well inside the first block's body (its headers take less than a kilobyte).
      link.corruptAt(600_000);

      assertThatThrownBy(
              () ->
                  store.writeChecked(
                      "corrupted", new ByteArrayInputStream(data), data.length, Map.of()))
          .isInstanceOf(IOException.class)
          .satisfies(
              e ->
                  assertThat(((BlobStorageException) e.getCause()).getErrorCode())
                      .as("the service's own MD5 check")
                      .isEqualTo(BlobErrorCode.fromString("Md5Mismatch")));
      assertThat(direct.stat("corrupted")).as("nothing committed").isNull();
    }
    // Over a clean link the same write goes through. A link of its own: a pooled connection of the
    // corrupting one, opened during the failed write, would still flip its byte at that offset.
    try (TcpForwarder clean = TcpForwarder.started(10000)) {
      store(AzuriteContainer.connectionString(clean.port()))
          .writeChecked("corrupted", new ByteArrayInputStream(data), data.length, Map.of());
    }
    try (InputStream in = direct.read("corrupted")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void whatFitsInOneBlockGoesUpAsOnePutWhoseMd5TheServiceChecksToo() throws Exception {
    AzureBlobStore direct = store(CONTAINER.connectionString());
    direct.ping();
    byte[] data = bytes(BLOCK, 4);
    try (TcpForwarder link = TcpForwarder.started(10000)) {
      AzureBlobStore store = store(AzuriteContainer.connectionString(link.port()));
      link.corruptAt(600_000);

      assertThatThrownBy(
              () ->
                  store.writeChecked("one", new ByteArrayInputStream(data), data.length, Map.of()))
          .isInstanceOf(IOException.class)
          .satisfies(
              e ->
                  assertThat(((BlobStorageException) e.getCause()).getErrorCode())
                      .as("the service's own MD5 check of a Put Blob")
                      .isEqualTo(BlobErrorCode.fromString("Md5Mismatch")));
      assertThat(direct.stat("one")).as("nothing committed").isNull();
    }
    try (TcpForwarder clean = TcpForwarder.started(10000)) {
      store(AzuriteContainer.connectionString(clean.port()))
          .writeChecked("one", new ByteArrayInputStream(data), data.length, Map.of("k", "v"));
    }
    try (InputStream in = direct.read("one")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(direct.stat("one").metadata()).containsEntry("k", "v");
    BlockBlobClient blob =
        new BlobServiceClientBuilder()
            .connectionString(CONTAINER.connectionString())
            .buildClient()
            .getBlobContainerClient(CONTAINER.name())
            .getBlobClient("one")
            .getBlockBlobClient();
    assertThat(blob.listBlocks(BlockListType.ALL).getCommittedBlocks())
        .as("one Put Blob, no staged blocks and no block list")
        .isEmpty();
  }

  @Test
  void aThreadsReusedBlockArrayCarriesNothingFromTheWriteBefore() throws Exception {
    AzureBlobStore store = store(CONTAINER.connectionString());
    byte[] large = bytes(BLOCK * 2 + 7, 6);
    byte[] small = bytes(999, 7);
    byte[] empty = new byte[0];

    store.writeChecked("large", new ByteArrayInputStream(large), large.length, Map.of());
    store.writeChecked("small", new ByteArrayInputStream(small), small.length, Map.of());
    store.writeChecked("empty", new ByteArrayInputStream(empty), 0, Map.of());

    for (var written : Map.of("large", large, "small", small, "empty", empty).entrySet()) {
      try (InputStream in = store.read(written.getKey())) {
        assertThat(in.readAllBytes()).as(written.getKey()).isEqualTo(written.getValue());
      }
    }
  }

  @Test
  void oneBlockShorterOrLongerThanAnnouncedCommitsNothing() throws Exception {
    AzureBlobStore store = store(CONTAINER.connectionString());
    byte[] data = bytes(1000, 5);

    assertThatThrownBy(
            () ->
                store.writeChecked(
                    "short1", new ByteArrayInputStream(data), data.length + 1, Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("short");
    assertThatThrownBy(
            () ->
                store.writeChecked(
                    "long1", new ByteArrayInputStream(data), data.length - 1, Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("longer");
    assertThat(store.stat("short1")).isNull();
    assertThat(store.stat("long1")).isNull();
  }

  @Test
  void dataShorterOrLongerThanAnnouncedCommitsNothing() throws Exception {
    AzureBlobStore store = store(CONTAINER.connectionString());
    byte[] data = bytes(BLOCK + 10, 3);

    assertThatThrownBy(
            () ->
                store.writeChecked(
                    "short", new ByteArrayInputStream(data), data.length + 1, Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("short");
    assertThatThrownBy(
            () ->
                store.writeChecked(
                    "long", new ByteArrayInputStream(data), data.length - 1, Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("longer");
    assertThat(store.stat("short")).isNull();
    assertThat(store.stat("long")).isNull();
  }

  private static AzureBlobStore store(String connectionString) {
    AzureBlobStore store = new AzureBlobStore(connectionString, CONTAINER.name());
    store.checkedBlock = BLOCK;
    return store;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
