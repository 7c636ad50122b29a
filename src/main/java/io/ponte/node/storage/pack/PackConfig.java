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

  /**
   * How a written pack is proven before any instance is switched to it: {@code checksum} (each
   * instance's SHA-256 checked as it streams into the pack, each block's MD5 checked by the Blob
   * service, then the pack's size) or {@code reread} (the same, then the pack read back whole and
   * every instance's SHA-256 compared again: twice the Blob traffic). {@code ponte migrate} always
   * re-reads.
   */
  @WithDefault("checksum")
  Verify verify();

  /** See {@link #verify()}. */
  enum Verify {
    CHECKSUM,
    REREAD
  }

  /** Packing at ingest ({@code at-ingest.*}): new series go up as packs, not one PUT each. */
  AtIngest atIngest();

  /**
   * New C-STORE and STOW-RS instances wait in the cache (acknowledged, readable, published as
   * always) until their series has been quiet for {@code quiet-period}; then the series goes up as
   * one pack (or a few), written, verified and switched to as the packing job does. What does not
   * fit goes up as objects of its own, as without packing: a series still receiving instances after
   * {@code max-hold}, an instance above {@code max-instance-bytes}, a pack that failed.
   */
  interface AtIngest {

    /** Whether new instances are held for a pack (and the at-ingest run is scheduled). */
    @WithDefault("false")
    boolean enabled();

    /** How long a series receives nothing before it is packed: longer than the gap between two. */
    @WithDefault("3s")
    Duration quietPeriod();

    /**
     * How long an instance waits for its series to go quiet before it goes up on its own (a series
     * that never stops, a packer that is down). At most 5 minutes.
     */
    @WithDefault("60s")
    Duration maxHold();

    /**
     * How long a claimed series is not offered again while the run that claimed it lives (a dead
     * run's claims are released at once, by the next start or a live node's periodic release).
     */
    @WithDefault("10m")
    Duration lease();

    /** A larger instance goes up on its own at once (one PUT gains nothing against its size). */
    @WithDefault("268435456")
    long maxInstanceBytes();

    /** How often the at-ingest run looks for quiet series. */
    @WithDefault("1s")
    Duration interval();

    /** Series packed at once in one run (each one pack written block by block). */
    @WithDefault("4")
    int concurrency();

    /** Series one run claims at most. */
    @WithDefault("64")
    int seriesPerRun();
  }
}
