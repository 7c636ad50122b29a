package io.ponte.node.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.testing.AzuriteContainer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Access tiers and rehydration on the real Azurite, read back from the blob properties. */
class AzureBlobStoreTierTest {

  @RegisterExtension static final AzuriteContainer CONTAINER = new AzuriteContainer("ponte-tiers-");

  private static void put(BlobStore store, String name) throws IOException {
    byte[] bytes = name.getBytes();
    store.write(name, new ByteArrayInputStream(bytes), bytes.length, Map.of("sha256", "x"));
  }

  @Test
  void everyTierIsSetAndReadBackFromAzurite() throws Exception {
    AzureBlobStore store = new AzureBlobStore(CONTAINER.connectionString(), CONTAINER.name());
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
    AzureBlobStore store = new AzureBlobStore(CONTAINER.connectionString(), CONTAINER.name());
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
            CONTAINER.connectionString(),
            CONTAINER.name(),
            RehydrationDelay.simulated(Duration.ofMinutes(10), clock));
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
