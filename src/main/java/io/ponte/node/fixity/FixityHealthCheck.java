package io.ponte.node.fixity;

import io.ponte.node.index.FixityIndex;
import io.ponte.node.storage.NodeStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Fixity in the node's health, always UP: a damaged or lost object is a data problem for an
 * operator (and the alert on {@code ponte_node_fixity_unrepairable_instances}), not a reason to
 * stop serving everything else. {@code fixity} says {@code ok} or {@code degraded: ...}; the
 * figures are those since start and of the last run.
 */
@Readiness
@ApplicationScoped
public class FixityHealthCheck implements HealthCheck {

  @Inject NodeStorage storage;

  @Inject FixityConfig config;

  @Inject FixityIndex index;

  @Inject FixityJob job;

  @Inject FixityMetrics metrics;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("node-fixity").up();
    if (!storage.isNode()) {
      return builder.withData("role", "hub: no node storage").build();
    }
    builder.withData("enabled", config.enabled());
    long unrepairable;
    try {
      unrepairable = index.unrepairable();
    } catch (SQLException e) {
      return builder.withData("fixity", "unknown: index unavailable").build();
    }
    builder
        .withData(
            "fixity",
            unrepairable == 0
                ? "ok"
                : "degraded: "
                    + unrepairable
                    + " instance(s) without an intact copy (see the log; a re-send heals)")
        .withData("unrepairableInstances", unrepairable)
        .withData("checkedSinceStart", metrics.checkedSinceStart())
        .withData("mismatchesSinceStart", metrics.mismatchesSinceStart())
        .withData("repairedSinceStart", metrics.repairedSinceStart());
    FixityJob.Run last = job.last();
    if (last != null) {
      builder
          .withData("lastRunAt", last.at().toString())
          .withData(
              "lastRun",
              String.format(
                  "%d checked, %d repaired, %d unrepairable, %d deferred%s",
                  last.checked(),
                  last.repaired(),
                  last.unrepairable(),
                  last.deferred(),
                  last.blobUnreachable() ? ", stopped: Blob unreachable" : ""));
    }
    return builder.build();
  }
}
