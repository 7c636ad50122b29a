package io.ponte.hub.consent;

/** The policy settings the decision reads (a plain value, so the decision is a pure function). */
public record ConsentPolicy(boolean optIn, boolean emergencyOverridesOptOut) {

  public static ConsentPolicy of(ConsentConfig config) {
    return new ConsentPolicy(
        config.policy() == ConsentConfig.RegionPolicy.OPT_IN, config.emergencyOverridesOptOut());
  }
}
