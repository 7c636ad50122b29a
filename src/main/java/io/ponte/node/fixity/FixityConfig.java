package io.ponte.node.fixity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The fixity job ({@code ponte.node.fixity.*}). One run re-reads {@code sample-size} instances; the
 * whole index is covered once every {@code instances / (sample-size x runs per day)} days (the
 * defaults check 72,000 instances a day, about 26 million a year).
 */
@ConfigMapping(prefix = "ponte.node.fixity")
public interface FixityConfig {

  /** Whether the scheduled job runs at all. */
  @WithDefault("true")
  boolean enabled();

  /** How often a run starts (a run still going when the next is due makes it skip). */
  @WithDefault("10m")
  Duration interval();

  /**
   * Instances one run checks, least recently verified first. Each check reads the cache file and
   * the blob whole: Blob reads of Cool and Cold blobs are billed per GB, so size this with the
   * account's read costs in mind.
   */
  @WithDefault("500")
  int sampleSize();

  /** Whether a bad copy is repaired from the intact one; off: findings are only reported. */
  @WithDefault("true")
  boolean repair();
}
