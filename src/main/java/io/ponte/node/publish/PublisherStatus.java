package io.ponte.node.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The publisher's figures, for Micrometer and the health check: the outbox backlog as last counted,
 * and the outcome of sends. Counted by the scheduled jobs, so that a scrape or a probe never
 * queries the database.
 */
@ApplicationScoped
public class PublisherStatus {

  @Inject MeterRegistry registry;

  @Inject PublishingNode node;

  private final AtomicReference<PublicationOutbox.Backlog> backlog =
      new AtomicReference<>(PublicationOutbox.Backlog.EMPTY);
  private volatile Instant lastDeliveredAt;
  private volatile String lastFailure;
  private volatile Instant lastFailureAt;
  private volatile boolean registered;

  void onStart(@Observes StartupEvent event) {
    if (node.active()) {
      register();
    }
  }

  /** Registers the gauges on a publishing node only: a hub has no outbox to report. */
  synchronized void register() {
    if (registered) {
      return;
    }
    Gauge.builder("ponte.publish.outbox.backlog", backlog, b -> b.get().pending())
        .description("Studies built for the hub and not yet accepted by it")
        .register(registry);
    Gauge.builder("ponte.publish.outbox.held", backlog, b -> b.get().held())
        .description("Studies that cannot be published as indexed (see last_error)")
        .register(registry);
    Gauge.builder("ponte.publish.outbox.refused", backlog, b -> b.get().refused())
        .description("Unsent studies the hub refused for good (not retried; see refused_reason)")
        .register(registry);
    Gauge.builder("ponte.publish.outbox.rejected", backlog, b -> b.get().rejected())
        .description("Unsent studies whose last attempt the hub refused with a 4xx")
        .register(registry);
    registered = true;
  }

  void backlog(PublicationOutbox.Backlog value) {
    backlog.set(value);
  }

  public PublicationOutbox.Backlog backlog() {
    return backlog.get();
  }

  void delivered() {
    lastDeliveredAt = Instant.now();
    Counter.builder("ponte.publish.published")
        .description("ImagingStudies the hub accepted")
        .register(registry)
        .increment();
  }

  void failed(String reason, String detail) {
    lastFailure =
        reason; // the reason only: /q/health is public, the detail (URLs, hub answers) is logged
    lastFailureAt = Instant.now();
    Counter.builder("ponte.publish.failures")
        .description("Failed attempts to publish to the hub, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** A final refusal; {@code reason} is one of {@link Delivery#FINAL_REFUSALS} (bounded). */
  void refused(String reason) {
    Counter.builder("ponte.publication.refused")
        .description("Studies the hub refused for good (not retried), by the hub's code")
        .tag("reason", reason == null ? "unknown" : reason)
        .register(registry)
        .increment();
  }

  public Instant lastDeliveredAt() {
    return lastDeliveredAt;
  }

  public String lastFailure() {
    return lastFailure;
  }

  public Instant lastFailureAt() {
    return lastFailureAt;
  }
}
