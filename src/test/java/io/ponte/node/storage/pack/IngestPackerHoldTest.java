package io.ponte.node.storage.pack;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.storage.IngestSource.Protocol;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which new instances ingest holds from the upload queue for a pack, and for how long. */
@DisplayName("packing at ingest: the hold")
class IngestPackerHoldTest {

  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void holdsReceivedInstancesForMaxHoldAndNeverLongerThanFiveMinutes() {
    assertThat(packer(true, "60s").uploadDueAt(Protocol.DIMSE, NOW, 1000))
        .isEqualTo(NOW.plusSeconds(60));
    assertThat(packer(true, "60s").uploadDueAt(Protocol.STOW_RS, NOW, 1000))
        .isEqualTo(NOW.plusSeconds(60));
    assertThat(packer(true, "2h").uploadDueAt(Protocol.DIMSE, NOW, 1000))
        .as("a hold ends before an upload lease would")
        .isEqualTo(NOW.plus(IngestPacker.MAX_HOLD));
  }

  @Test
  void holdsNothingWhenOffAndNeitherHugeInstancesNorMigratedOrRebuiltOnes() {
    assertThat(packer(false, "60s").uploadDueAt(Protocol.DIMSE, NOW, 1000)).isEqualTo(NOW);
    assertThat(packer(true, "60s").uploadDueAt(Protocol.DIMSE, NOW, 2_000_000)).isEqualTo(NOW);
    assertThat(packer(true, "60s").uploadDueAt(Protocol.MIGRATION, NOW, 1000)).isEqualTo(NOW);
    assertThat(packer(true, "60s").uploadDueAt(Protocol.REBUILD, NOW, 1000)).isEqualTo(NOW);
  }

  private static IngestPacker packer(boolean enabled, String maxHold) {
    IngestPacker packer = new IngestPacker();
    packer.config = config(enabled, Duration.parse("PT" + maxHold.toUpperCase()));
    return packer;
  }

  private static PackConfig config(boolean enabled, Duration maxHold) {
    PackConfig.AtIngest atIngest =
        new PackConfig.AtIngest() {
          @Override
          public boolean enabled() {
            return enabled;
          }

          @Override
          public Duration quietPeriod() {
            return Duration.ofSeconds(3);
          }

          @Override
          public Duration maxHold() {
            return maxHold;
          }

          @Override
          public Duration lease() {
            return Duration.ofMinutes(10);
          }

          @Override
          public long maxInstanceBytes() {
            return 1_000_000;
          }

          @Override
          public Duration interval() {
            return Duration.ofSeconds(1);
          }

          @Override
          public int concurrency() {
            return 1;
          }

          @Override
          public int seriesPerRun() {
            return 1;
          }
        };
    return new PackConfig() {
      @Override
      public boolean enabled() {
        return false;
      }

      @Override
      public Duration interval() {
        return Duration.ofHours(1);
      }

      @Override
      public Duration quietPeriod() {
        return Duration.ofDays(7);
      }

      @Override
      public int minInstances() {
        return 2;
      }

      @Override
      public int seriesPerRun() {
        return 1;
      }

      @Override
      public long maxPackBytes() {
        return 1 << 30;
      }

      @Override
      public Verify verify() {
        return Verify.CHECKSUM;
      }

      @Override
      public AtIngest atIngest() {
        return atIngest;
      }
    };
  }
}
