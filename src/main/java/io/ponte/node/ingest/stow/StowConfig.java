package io.ponte.node.ingest.stow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a STOW-RS request body is received. */
@ConfigMapping(prefix = "ponte.node.stow")
public interface StowConfig {

  /**
   * Bytes of one request's body held between the network and the store: receiving pauses above it
   * and resumes once half has been written. Large enough that the HTTP event loop and the storing
   * worker rarely wait for each other; the heap cost is this times the concurrent STOW requests.
   */
  @WithDefault("1048576")
  int bufferBytes();

  /** A sender silent for longer mid-body fails its request (the part in progress is not stored). */
  @WithDefault("60s")
  Duration readTimeout();
}
