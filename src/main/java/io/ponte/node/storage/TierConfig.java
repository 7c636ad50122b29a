package io.ponte.node.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The site's Blob access-tier policy ({@code ponte.node.storage.tiers.*}). A study's age is counted
 * from the later of its StudyDate (its first ingest when it has none) and its last retrieve; it
 * moves colder as it ages, never warmer (only a retrieve's rehydration warms it).
 */
@ConfigMapping(prefix = "ponte.node.storage.tiers")
public interface TierConfig {

  /** Whether the policy job runs at all. */
  @WithDefault("true")
  boolean enabled();

  /** How often the job looks for studies due for a review. */
  @WithDefault("1h")
  Duration interval();

  /** Age from which a study leaves Hot for Cool (about six months). */
  @WithDefault("183d")
  Duration coolAfter();

  /** Age from which a study goes Cold. */
  @WithDefault("365d")
  Duration coldAfter();

  /** Age from which a study goes to Archive (offline: a retrieve must wait for a rehydration). */
  @WithDefault("730d")
  Duration archiveAfter();

  /** Blob tier changes one run makes at most (a run must not hold Blob or the index for long). */
  @WithDefault("1000")
  int batchSize();

  /** Studies one run reviews at most. */
  @WithDefault("500")
  int studiesPerRun();

  /**
   * How long a rehydration out of Archive is expected to take: Azure's standard priority takes up
   * to 15 hours. Clients are told to retry after what is left of it.
   */
  @WithDefault("15h")
  Duration rehydrationEstimate();

  /**
   * Azurite and demos only: the store keeps a rehydrated blob archived for this long (Azurite moves
   * it back at once), and clients are told this wait instead of the estimate.
   */
  Optional<Duration> simulatedRehydration();

  /**
   * A retrieve is recorded at most once per this period on the study (for the policy's age). Each
   * instance's access time, which the evictor reads, has {@link
   * NodeStorageConfig#accessGranularity()}.
   */
  @WithDefault("1d")
  Duration accessGranularity();
}
