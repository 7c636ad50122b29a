package io.ponte.node.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replication on /q/metrics: the gauges {@code ponte_node_replica_backlog} (instances whose replica
 * copy is not yet verified) and {@code ponte_node_replica_lag_seconds} (how long the oldest of them
 * has waited), both as of the last run; the counters {@code ponte_node_replica_replicated_total},
 * {@code ponte_node_replica_failures_total{reason=replica|source}} and {@code
 * ponte_node_replica_reads_total} (reads served from the replica because the primary failed).
 */
@ApplicationScoped
public class ReplicaMetrics {

  @Inject MeterRegistry registry;

  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong lagSeconds = new AtomicLong();
  private final AtomicLong failuresSinceStart = new AtomicLong();

  @PostConstruct
  void init() {
    Gauge.builder("ponte.node.replica.backlog", backlog, AtomicLong::get)
        .description("instances whose replica copy is not yet verified (as of the last run)")
        .register(registry);
    Gauge.builder("ponte.node.replica.lag", lagSeconds, AtomicLong::get)
        .baseUnit("seconds")
        .description("how long the oldest instance without a verified replica copy has waited")
        .register(registry);
  }

  public void replicated() {
    registry.counter("ponte.node.replica.replicated").increment();
  }

  public void failed(String reason) {
    failuresSinceStart.incrementAndGet();
    Counter.builder("ponte.node.replica.failures")
        .tag("reason", reason)
        .description(
            "replications that failed (replica: the replica account; source: the copy read)")
        .register(registry)
        .increment();
  }

  /** A read served from the replica because the cache and the primary could not give it. */
  public void servedFromReplica() {
    registry.counter("ponte.node.replica.reads").increment();
  }

  public void backlog(long pending, Instant oldestPending, Instant now) {
    backlog.set(pending);
    lagSeconds.set(
        oldestPending == null ? 0 : Math.max(0, Duration.between(oldestPending, now).toSeconds()));
  }

  public long backlog() {
    return backlog.get();
  }

  public long lagSeconds() {
    return lagSeconds.get();
  }

  public long failuresSinceStart() {
    return failuresSinceStart.get();
  }
}
