package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.storage.StoredCopies.BlobCopy;
import io.ponte.node.storage.blob.AzureBlobStore;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.BlobTier;
import io.ponte.node.storage.blob.TierStatus;
import io.ponte.testing.AzuriteContainer;
import io.ponte.text.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A packed instance's Blob copy on the real Azurite: its range of the pack read and compared; when
 * that read fails, the pack's tier says why. Offline in Archive counts as held (its bytes are
 * verified when read back after rehydration); gone does not; online but unreadable is neither.
 */
class StoredCopiesTest {

  @RegisterExtension static final AzuriteContainer CONTAINER = new AzuriteContainer("ponte-held-");

  private static final byte[] BEFORE = "another instance".getBytes(StandardCharsets.UTF_8);
  private static final byte[] INSTANCE = "this instance".getBytes(StandardCharsets.UTF_8);

  private final AzureBlobStore azurite =
      new AzureBlobStore(CONTAINER.connectionString(), CONTAINER.name());

  @Test
  void aPackOfflineInArchiveIsHeldThoughItsRangeCannotBeRead() throws Exception {
    InstanceLocation at = packed("s/x/archived.pack");
    assertThat(copies(azurite).blob(at)).as("online: its range read").isEqualTo(BlobCopy.INTACT);

    azurite.setTier(at.blobName(), BlobTier.ARCHIVE);
    assertThatThrownBy(() -> readRange(azurite, at))
        .as("Azurite refuses the archived pack's read")
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(NoSuchFileException.class);
    assertThat(copies(azurite).blob(at)).isEqualTo(BlobCopy.INTACT);
  }

  @Test
  void aPackThatIsGoneIsNotHeld() throws Exception {
    InstanceLocation at = packed("s/x/gone.pack");
    azurite.delete(at.blobName());
    assertThat(copies(azurite).blob(at)).isEqualTo(BlobCopy.ABSENT);
    // Its read refused as an archived one's is (deleted meanwhile): the tier finds no pack.
    assertThat(copies(refusingReads(azurite)).blob(at)).isEqualTo(BlobCopy.ABSENT);
  }

  @Test
  void aPackOnlineWhoseReadFailsIsUnreachableNotHeld() throws Exception {
    InstanceLocation at = packed("s/x/online.pack");
    assertThat(copies(refusingReads(azurite)).blob(at)).isEqualTo(BlobCopy.UNREACHABLE);
  }

  /** A pack of two instances in Azurite, and where the second (the one checked) is in it. */
  private InstanceLocation packed(String pack) throws IOException {
    byte[] bytes = new byte[BEFORE.length + INSTANCE.length];
    System.arraycopy(BEFORE, 0, bytes, 0, BEFORE.length);
    System.arraycopy(INSTANCE, 0, bytes, BEFORE.length, INSTANCE.length);
    azurite.write(pack, new ByteArrayInputStream(bytes), bytes.length, Map.of());
    return new InstanceLocation(
        "1.2.3", INSTANCE.length, Sha256.hex(INSTANCE), null, pack, BEFORE.length);
  }

  private static void readRange(BlobStore store, InstanceLocation at) throws IOException {
    try (InputStream in = InstanceBlobs.primary(store, at)) {
      in.readAllBytes();
    }
  }

  private static StoredCopies copies(BlobStore store) {
    NodeStorage storage = new NodeStorage();
    storage.useBlobStore(store);
    StoredCopies copies = new StoredCopies();
    copies.storage = storage;
    return copies;
  }

  /**
   * Only what a packed instance's check asks: its range, which fails as Azure fails an archived
   * object's read (not as a 404), and the pack's tier, which {@code store} answers.
   */
  private static BlobStore refusingReads(BlobStore store) {
    return new BlobStore() {
      @Override
      public InputStream read(String name, long offset, long length) throws IOException {
        throw new IOException("read of " + name + ": Status code 409, BlobArchived");
      }

      @Override
      public TierStatus tier(String name) throws IOException {
        return store.tier(name);
      }

      @Override
      public void write(String name, InputStream data, long length, Map<String, String> metadata) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Map<String, String> metadata(String name) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void ping() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
