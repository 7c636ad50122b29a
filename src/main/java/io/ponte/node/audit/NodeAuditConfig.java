package io.ponte.node.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the node's audit records ({@code ponte.node.audit.*}). They go to the hub named by
 * {@code ponte.node.publish.hub-url}, with the publisher's token, timeouts and backoff, and only
 * while {@code ponte.node.publish.enabled}; otherwise they are kept at the node.
 */
@ConfigMapping(prefix = "ponte.node.audit")
public interface NodeAuditConfig {

  /** Records waiting for the writer at most; past it one is dropped and logged at ERROR. */
  @WithDefault("10000")
  int queueCapacity();

  /** Most records one write commits (one transaction, one fsync). */
  @WithDefault("500")
  int writeBatchSize();

  /** Most records one POST to the hub carries (the hub takes at most 500). */
  @WithDefault("200")
  int sendBatchSize();
}
