package io.ponte.node.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.OptionalInt;

/**
 * The node's metrics port ({@code ponte.node.metrics.*}): the Prometheus text of {@code /q/metrics}
 * on a port of its own, so that a cluster's Prometheus can scrape the node while its HTTP port
 * stays reachable from the hub only (a NetworkPolicy selects ports, not paths).
 */
@ConfigMapping(prefix = "ponte.node.metrics")
public interface MetricsPortConfig {

  /** The port; unset (the default): no second listener, metrics only on the HTTP port. */
  OptionalInt port();

  /** The address to bind. */
  @WithDefault("0.0.0.0")
  String bindAddress();
}
