package io.ponte.management;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.OptionalInt;

/**
 * The management port ({@code ponte.management.*}): {@code /q/metrics} and {@code /q/health*} on a
 * port of their own, so that a cluster's Prometheus and kubelet reach them while the HTTP port
 * stays what its users may reach (a NetworkPolicy selects ports, not paths).
 */
@ConfigMapping(prefix = "ponte.management")
public interface ManagementPortConfig {

  /**
   * The port; unset (the default, as in the demo): no second listener, and {@code /q/} stays on the
   * HTTP port. Set: {@code /q/} is served here only.
   */
  OptionalInt port();

  /** The address to bind. */
  @WithDefault("0.0.0.0")
  String bindAddress();
}
