package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlobUploadWorkerTest {

    @Test
    void backsOffExponentiallyUpToTheCap() {
        BlobUploadWorker worker = new BlobUploadWorker();
        worker.storage = new NodeStorage() {
            @Override
            public NodeStorageConfig config() {
                return new FixedConfig(Duration.ofSeconds(10), Duration.ofMinutes(5));
            }
        };
        assertThat(worker.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(worker.backoff(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(worker.backoff(5)).isEqualTo(Duration.ofSeconds(160));
        assertThat(worker.backoff(6)).isEqualTo(Duration.ofMinutes(5));
        assertThat(worker.backoff(1000)).isEqualTo(Duration.ofMinutes(5));
    }

    record FixedConfig(Duration backoff, Duration max) implements NodeStorageConfig {
        public Path cacheDir() {
            return Path.of("unused");
        }

        public String blobConnectionString() {
            return AZURITE;
        }

        public Optional<String> blobContainer() {
            return Optional.empty();
        }

        public Duration uploadInterval() {
            return Duration.ofSeconds(1);
        }

        public int uploadBatchSize() {
            return 1;
        }

        public Duration uploadBackoff() {
            return backoff;
        }

        public Duration uploadMaxBackoff() {
            return max;
        }

        public long maxCacheBytes() {
            return 0;
        }

        public Duration evictionInterval() {
            return Duration.ofMinutes(1);
        }
    }
}
