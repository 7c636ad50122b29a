package io.ponte.node.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Access tiers and rehydration on the real Azurite, read back from the blob properties. */
class AzureBlobStoreTierTest {

  private static final String AZURITE =
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
          + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
          + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

  private static final String CONTAINER =
      "ponte-tiers-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterAll
  static void dropContainer() {
    new BlobServiceClientBuilder()
        .connectionString(AZURITE)
        .buildClient()
        .getBlobContainerClient(CONTAINER)
        .deleteIfExists();
  }

  private static void put(BlobStore store, String name) throws IOException {
    byte[] bytes = name.getBytes();
    store.write(name, new ByteArrayInputStream(bytes), bytes.length, Map.of("sha256", "x"));
  }

  @Test
  void everyTierIsSetAndReadBackFromAzurite() throws Exception {
    AzureBlobStore store = new AzureBlobStore(AZURITE, CONTAINER);
    for (BlobTier tier : BlobTier.values()) {
      String name = "tier-" + tier;
      put(store, name);
      assertThat(store.tier(name)).isEqualTo(new TierStatus(BlobTier.HOT, false));
      store.setTier(name, tier);
      assertThat(store.tier(name).tier()).as("tier of %s", name).isEqualTo(tier);
    }
    assertThat(store.tier("no-such-blob")).isNull();
  }

  @Test
  void anArchivedBlobCannotBeReadUntilRehydrated() throws Exception {
    AzureBlobStore store = new AzureBlobStore(AZURITE, CONTAINER);
    put(store, "archived");
    store.setTier("archived", BlobTier.ARCHIVE);
    assertThatThrownBy(
            () -> {
              try (InputStream in = store.read("archived")) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(IOException.class);
    store.rehydrate("archived", BlobTier.HOT);
    assertThat(store.tier("archived").online()).isTrue();
    try (InputStream in = store.read("archived")) {
      assertThat(new String(in.readAllBytes())).isEqualTo("archived");
    }
  }

  @Test
  void aSimulatedDelayKeepsTheBlobArchivedUntilItHasPassed() throws Exception {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    AzureBlobStore store =
        new AzureBlobStore(
            AZURITE, CONTAINER, RehydrationDelay.simulated(Duration.ofMinutes(10), clock));
    put(store, "slow");
    store.setTier("slow", BlobTier.ARCHIVE);
    Instant ready = store.rehydrate("slow", BlobTier.HOT);
    assertThat(ready).isEqualTo(now.get().plus(Duration.ofMinutes(10)));
    now.set(now.get().plus(Duration.ofMinutes(5)));
    assertThat(store.rehydrate("slow", BlobTier.HOT))
        .as("the first request's clock runs")
        .isEqualTo(ready);
    assertThat(store.tier("slow")).isEqualTo(new TierStatus(BlobTier.ARCHIVE, true));
    assertThat(store.tier("slow").online()).isFalse();
    now.set(ready);
    assertThat(store.tier("slow")).isEqualTo(new TierStatus(BlobTier.HOT, false));
    try (InputStream in = store.read("slow")) {
      assertThat(new String(in.readAllBytes())).isEqualTo("slow");
    }
  }
}
