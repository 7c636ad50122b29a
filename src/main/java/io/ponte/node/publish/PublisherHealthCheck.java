package io.ponte.node.publish;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the publication backlog on {@code /q/health/ready}, and stays UP whatever it is: a node
 * whose hub is down must keep taking in studies (they wait in the outbox), so the hub's state must
 * never take it out of a load balancer. Studies the hub refused for good (a UID another site
 * registered) are shown as {@code refused} with the last reason, UP as well: a data problem.
 * Operators alert on the figures instead (or on the Micrometer gauges).
 */
@Readiness
@ApplicationScoped
public class PublisherHealthCheck implements HealthCheck {

  @Inject PublishingNode node;

  @Inject PublisherStatus status;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named("ponte-publisher").up();
    if (!node.active()) {
      return builder.withData("active", false).build();
    }
    PublicationOutbox.Backlog backlog = status.backlog();
    builder
        .withData("active", true)
        .withData("backlog", backlog.pending())
        .withData("held", backlog.held())
        .withData("rejected", backlog.rejected())
        .withData("refused", backlog.refused());
    if (backlog.lastRefusedReason() != null) {
      // A refusal is a data problem (a study UID another site registered), not an outage: UP.
      builder.withData("lastRefusal", backlog.lastRefusedReason());
    }
    if (backlog.oldestPendingSince() != null) {
      builder.withData(
          "oldestPendingSeconds",
          Math.max(0, Duration.between(backlog.oldestPendingSince(), Instant.now()).toSeconds()));
    }
    if (status.lastDeliveredAt() != null) {
      builder.withData("lastDeliveredAt", status.lastDeliveredAt().toString());
    }
    if (status.lastFailure() != null) {
      builder
          .withData("lastFailure", status.lastFailure())
          .withData("lastFailureAt", status.lastFailureAt().toString());
    }
    return builder.build();
  }
}
