package io.ponte.node.storage.replica;

import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.ReplicaMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The replica in the node's health, always UP: a replica that is down or behind loses no data and
 * blocks no ingest (the primary holds everything), so it is an operator's concern ({@code replica:
 * degraded: ...} and the alert on {@code ponte_node_replica_lag_seconds}), never a reason to stop
 * serving.
 */
@Readiness
@ApplicationScoped
public class ReplicaHealthCheck implements HealthCheck {

  @Inject NodeStorage storage;

  @Inject ReplicationWorker worker;

  @Inject ReplicaMetrics metrics;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("node-replica").up();
    if (!storage.isNode()) {
      return builder.withData("role", "hub: no node storage").build();
    }
    if (!storage.replicated()) {
      return builder.withData("replica", "off").build();
    }
    builder
        .withData("container", storage.replicaContainerName())
        .withData("backlog", metrics.backlog())
        .withData("lagSeconds", metrics.lagSeconds())
        .withData("failuresSinceStart", metrics.failuresSinceStart());
    ReplicationWorker.Run last = worker.last();
    long maxLag = storage.config().replica().maxLag().toSeconds();
    String state;
    if (last == null) {
      state = "unknown: no replication run yet";
    } else if (last.replicaDown()) {
      state = "degraded: the replica account failed (" + last.error() + "); catching up later";
    } else if (metrics.lagSeconds() > maxLag) {
      state =
          "degraded: "
              + metrics.backlog()
              + " instance(s) behind, oldest "
              + metrics.lagSeconds()
              + " s";
    } else {
      state = "ok";
    }
    builder.withData("replica", state);
    if (last != null) {
      builder.withData("lastRunAt", last.at().toString());
    }
    return builder.build();
  }
}
