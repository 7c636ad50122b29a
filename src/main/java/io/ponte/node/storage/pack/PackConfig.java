package io.ponte.node.storage.pack;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Packing ({@code ponte.node.storage.pack.*}): when a series has been quiet long enough, its
 * instances move from one blob each into one pack (or a few, each at most {@code max-pack-bytes}).
 */
@ConfigMapping(prefix = "ponte.node.storage.pack")
public interface PackConfig {

  /** Whether the scheduled job runs ({@code ponte node pack} runs whatever this says). */
  @WithDefault("true")
  boolean enabled();

  /** How often the job looks for series to pack. */
  @WithDefault("1h")
  Duration interval();

  /**
   * How long after its last instance arrived a series is packed: a series still receiving instances
   * is not, and recent studies (the ones read) stay one object per instance.
   */
  @WithDefault("7d")
  Duration quietPeriod();

  /** A series with fewer unpacked instances is left as it is (a pack of one gains nothing). */
  @WithDefault("2")
  int minInstances();

  /** Series one run packs at most. */
  @WithDefault("200")
  int seriesPerRun();

  /** A larger series is split into several packs of at most this many bytes each. */
  @WithDefault("1073741824")
  long maxPackBytes();
}
