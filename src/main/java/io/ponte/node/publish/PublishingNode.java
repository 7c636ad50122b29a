package io.ponte.node.publish;

import io.ponte.role.PonteConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Runs the publisher's jobs only on a node with publishing enabled: a hub has no index to publish.
 */
@Singleton
public class PublishingNode implements Scheduled.SkipPredicate {

  @Inject PonteConfig ponte;

  @Inject PublishConfig config;

  public boolean active() {
    return ponte.isNode() && config.enabled();
  }

  @Override
  public boolean test(ScheduledExecution execution) {
    return !active();
  }

  /** The site the node publishes for; a node without one fails its readiness check already. */
  public String site() {
    return ponte.site().orElseThrow(() -> new IllegalStateException("a node needs ponte.site"));
  }
}
