package io.ponte.node.fixity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fixity on /q/metrics: {@code ponte_node_fixity_checked_total}, {@code
 * ponte_node_fixity_mismatches_total{copy,problem}}, {@code
 * ponte_node_fixity_repaired_total{copy}}, {@code ponte_node_fixity_unrepairable_total}, {@code
 * ponte_node_fixity_skipped_total{reason}}, and as of the last run the gauges {@code
 * ponte_node_fixity_unrepairable_instances} (instances whose last check found no intact copy: what
 * the alert watches, kept across restarts since it is read from the index) and {@code
 * ponte_node_fixity_oldest_verification_age_seconds} (how long ago the least recently verified
 * instance was checked or received: the length of a full cycle).
 */
@ApplicationScoped
public class FixityMetrics {

  @Inject MeterRegistry registry;

  private final AtomicLong unrepairableInstances = new AtomicLong(-1);
  private final AtomicLong oldestAgeSeconds = new AtomicLong();
  private final AtomicLong mismatchesSinceStart = new AtomicLong();
  private final AtomicLong repairedSinceStart = new AtomicLong();
  private final AtomicLong checkedSinceStart = new AtomicLong();

  @PostConstruct
  void init() {
    Gauge.builder("ponte.node.fixity.unrepairable.instances", unrepairableInstances, this::known)
        .description("instances whose last fixity check found no intact copy")
        .register(registry);
    Gauge.builder("ponte.node.fixity.oldest.verification.age", oldestAgeSeconds, AtomicLong::get)
        .baseUnit("seconds")
        .description("time since the least recently verified instance was checked or received")
        .register(registry);
  }

  private double known(AtomicLong value) {
    return Math.max(0, value.get());
  }

  void checked() {
    checkedSinceStart.incrementAndGet();
    registry.counter("ponte.node.fixity.checked").increment();
  }

  void mismatch(String copy, CopyState state) {
    mismatchesSinceStart.incrementAndGet();
    Counter.builder("ponte.node.fixity.mismatches")
        .tag("copy", copy)
        .tag("problem", state.name().toLowerCase(Locale.ROOT))
        .description("copies found damaged or missing by a fixity check")
        .register(registry)
        .increment();
  }

  void repaired(String copy) {
    repairedSinceStart.incrementAndGet();
    Counter.builder("ponte.node.fixity.repaired")
        .tag("copy", copy)
        .description("copies rewritten from the intact one")
        .register(registry)
        .increment();
  }

  void unrepairable() {
    registry.counter("ponte.node.fixity.unrepairable").increment();
  }

  void skipped(String reason) {
    Counter.builder("ponte.node.fixity.skipped")
        .tag("reason", reason)
        .description("copies a fixity check could not read now")
        .register(registry)
        .increment();
  }

  void state(long unrepairable, long oldestAgeSeconds) {
    this.unrepairableInstances.set(unrepairable);
    this.oldestAgeSeconds.set(oldestAgeSeconds);
  }

  /** Instances without an intact copy as of the last run; -1 before the first. */
  public long unrepairableInstances() {
    return unrepairableInstances.get();
  }

  public long checkedSinceStart() {
    return checkedSinceStart.get();
  }

  public long mismatchesSinceStart() {
    return mismatchesSinceStart.get();
  }

  public long repairedSinceStart() {
    return repairedSinceStart.get();
  }
}
