package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Free-space settings and what the health check and the evictor make of a volume's numbers. */
class FreeSpaceTest {

  @Test
  void parsesBytesUnitsAndPercentages() {
    assertThat(FreeSpace.parse("s", "1048576").bytesOf(0)).isEqualTo(1L << 20);
    assertThat(FreeSpace.parse("s", "10G").bytesOf(1)).isEqualTo(10L << 30);
    assertThat(FreeSpace.parse("s", "512Mi").bytesOf(1)).isEqualTo(512L << 20);
    assertThat(FreeSpace.parse("s", "10%").bytesOf(1_000_000)).isEqualTo(100_000);
    assertThat(FreeSpace.parse("s", "2.5%").bytesOf(1_000)).isEqualTo(25);
  }

  @Test
  void refusesWhatIsNotASizeNamingTheSetting() {
    assertThatThrownBy(() -> FreeSpace.parse("ponte.node.storage.min-free-space", "lots"))
        .hasMessageContaining("ponte.node.storage.min-free-space=lots");
    assertThatThrownBy(() -> FreeSpace.parse("s", "150%")).hasMessageContaining("100%");
  }

  @Test
  void aVolumeBelowItsMinimumIsReportedWithItsRealFreeSpace() {
    // 99 % full: 1 % free, minimum 2 %: the case the issue found reported UP.
    CacheVolume.Usage full = new CacheVolume.Usage(10_000, 1_000_000, 20_000, 100_000);
    assertThat(full.usablePercent()).isEqualTo(1.0);
    assertThat(full.belowMinimum()).isTrue();
    assertThat(full.shortOfTarget()).isEqualTo(90_000);

    CacheVolume.Usage roomy = new CacheVolume.Usage(500_000, 1_000_000, 20_000, 100_000);
    assertThat(roomy.belowMinimum()).isFalse();
    assertThat(roomy.shortOfTarget()).isZero();
  }

  @Test
  void theEvictorFreesWhicheverIsLargerTheExcessOrTheShortfall() {
    CacheVolume.Usage roomy = new CacheVolume.Usage(500_000, 1_000_000, 20_000, 100_000);
    CacheVolume.Usage tight = new CacheVolume.Usage(40_000, 1_000_000, 20_000, 100_000);
    // Under the size bound and above the target: nothing.
    assertThat(CacheEvictor.bytesToFree(300_000, 400_000, roomy)).isZero();
    // Under the size bound, but another writer filled the volume: the shortfall.
    assertThat(CacheEvictor.bytesToFree(300_000, 400_000, tight)).isEqualTo(60_000);
    // Over the size bound with room on the volume: the excess, as before.
    assertThat(CacheEvictor.bytesToFree(450_000, 400_000, roomy)).isEqualTo(50_000);
    // Both: the larger.
    assertThat(CacheEvictor.bytesToFree(500_000, 400_000, tight)).isEqualTo(100_000);
  }
}
