package io.ponte.node.retention;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retention on /q/metrics, as of the retention job's last run: studies on legal hold, studies whose
 * retention ended awaiting {@code delete-expired}, deletions interrupted (a rerun finishes them),
 * and studies whose retention is not decided yet.
 */
@ApplicationScoped
public class RetentionMetrics {

  @Inject MeterRegistry registry;

  private final AtomicLong held = new AtomicLong();
  private final AtomicLong expired = new AtomicLong();
  private final AtomicLong deleting = new AtomicLong();
  private final AtomicLong undecided = new AtomicLong();

  @PostConstruct
  void init() {
    gauge("ponte.node.retention.held.studies", held, "studies on legal hold");
    gauge(
        "ponte.node.retention.expired.studies",
        expired,
        "studies whose retention ended, not on hold, awaiting ponte node delete-expired");
    gauge(
        "ponte.node.retention.deleting.studies",
        deleting,
        "deletions taken out of the index but not finished (the next delete-expired finishes them)");
    gauge(
        "ponte.node.retention.undecided.studies",
        undecided,
        "studies whose retention is not decided yet (never deleted until it is)");
  }

  private void gauge(String name, AtomicLong value, String description) {
    Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
  }

  void update(RetentionIndex.Counts counts) {
    held.set(counts.held());
    expired.set(counts.expired());
    deleting.set(counts.deleting());
    undecided.set(counts.undecided());
  }

  public long held() {
    return held.get();
  }

  public long expired() {
    return expired.get();
  }
}
