package io.ponte.hub.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The scored patient matcher's settings (docs/security.md, "Identity matching"). A pair scoring at
 * least {@link #autoLink()} is linked when a node publishes a new patient; one scoring at least
 * {@link #review()} waits on the authority's review list; lower pairs are not remembered.
 */
@ConfigMapping(prefix = "ponte.hub.identity.match")
public interface MatchConfig {

  /** Whether publication runs the matcher at all (a shared regional identifier still links). */
  @WithDefault("true")
  boolean enabled();

  /** Score (0 to 1) from which a pair is linked without a person looking at it. */
  @WithDefault("0.92")
  double autoLink();

  /** Score from which a pair is put on the review list. */
  @WithDefault("0.75")
  double review();

  /** Most candidates one new patient is scored against (the blocking query's limit). */
  @WithDefault("200")
  int maxCandidates();
}
