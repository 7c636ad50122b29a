package io.ponte.node.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Bounds on what one incoming instance (C-STORE or STOW-RS) may make the node hold in memory while
 * its header is parsed. Pixel Data streams to the cache and is not bounded here; anything over
 * these is refused (C-STORE A700H, STOW-RS Failure Reason A700H, code ponte:payload-too-large) and
 * the rest of the instance is read and discarded, so the association or request goes on.
 */
@ConfigMapping(prefix = "ponte.node.ingest")
public interface IngestConfig {

  /**
   * Longest non-pixel value held in memory. 16 MiB takes the largest such values met in practice (a
   * 4k overlay is 2 MiB; ECG waveforms and encapsulated PDF reports a few MiB) while sixteen
   * concurrent associations at the bound stay within a quarter of a 1.5 GiB heap.
   */
  @WithDefault("16777216")
  long maxElementBytes();

  /**
   * Most one instance's header (everything before Pixel Data) may hold in memory, counting 64 bytes
   * per element so that a flood of tiny elements counts too. 128 MiB holds large RT Structure Sets
   * and enhanced multi-frame headers.
   */
  @WithDefault("134217728")
  long maxHeaderBytes();
}
