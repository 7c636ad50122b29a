package io.ponte.hub.consent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The region's consent policy and the emergency-access limits (docs/security.md, "Consent"). */
@ConfigMapping(prefix = "ponte.hub.consent")
public interface ConsentConfig {

  /**
   * {@code opt-out} (the default): share unless the patient said no. {@code opt-in}: share only
   * where the patient said yes. A hospital's own clinicians see their site's studies either way.
   */
  @WithDefault("opt-out")
  RegionPolicy policy();

  /**
   * Whether an emergency grant overrides a patient's explicit deny. When false, break-glass only
   * overrides the absence of a permit (opt-in); a stated "no" holds even in an emergency.
   */
  @WithDefault("true")
  boolean emergencyOverridesOptOut();

  /** How long an emergency grant lasts when the clinician does not say. */
  @WithDefault("PT4H")
  Duration emergencyDefaultDuration();

  /** The longest emergency grant a clinician may ask for. */
  @WithDefault("PT24H")
  Duration emergencyMaxDuration();

  /**
   * Whether the hub enforces consent at all. Only a benchmark turns it off (to measure what
   * enforcement costs); when off, every clinician sees every study, and the hub says so in a WARN
   * at start-up, so that no region runs like that unnoticed.
   */
  @WithDefault("true")
  boolean enforcement();

  /** Persons whose consents an instance keeps cached; the cache is dropped whole past it. */
  @WithDefault("100000")
  int cacheSize();

  enum RegionPolicy {
    OPT_OUT,
    OPT_IN
  }
}
