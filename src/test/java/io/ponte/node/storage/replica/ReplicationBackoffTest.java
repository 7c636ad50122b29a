package io.ponte.node.storage.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.storage.NodeStorageConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A failed copy waits backoff x 2^(attempts-1), never more than the maximum; off means off. */
class ReplicationBackoffTest {

  record Settings(Optional<String> connectionString, Duration backoff, Duration maxBackoff)
      implements NodeStorageConfig.Replica {
    public Optional<String> container() {
      return Optional.empty();
    }

    public Duration interval() {
      return Duration.ofSeconds(5);
    }

    public int batchSize() {
      return 64;
    }

    public int concurrency() {
      return 4;
    }

    public Duration maxLag() {
      return Duration.ofMinutes(15);
    }
  }

  @Test
  void doublesPerAttemptUpToTheMaximum() {
    Settings s = new Settings(Optional.of("x"), Duration.ofSeconds(10), Duration.ofHours(1));
    assertThat(ReplicationWorker.backoff(s, 1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(ReplicationWorker.backoff(s, 2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(ReplicationWorker.backoff(s, 4)).isEqualTo(Duration.ofSeconds(80));
    assertThat(ReplicationWorker.backoff(s, 10)).isEqualTo(Duration.ofHours(1));
    assertThat(ReplicationWorker.backoff(s, 10_000))
        .as("no overflow")
        .isEqualTo(Duration.ofHours(1));
    assertThat(ReplicationWorker.backoff(s, 0)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void replicationIsOnOnlyWithAConnectionString() {
    Duration d = Duration.ofSeconds(1);
    assertThat(new Settings(Optional.of("BlobEndpoint=http://x"), d, d).enabled()).isTrue();
    assertThat(new Settings(Optional.empty(), d, d).enabled()).isFalse();
    assertThat(new Settings(Optional.of("  "), d, d).enabled()).isFalse();
  }
}
