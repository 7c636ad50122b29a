package io.ponte.hub.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.Period;

/** Settings of the hub's audit trail ({@code ponte.hub.audit.*}). */
@ConfigMapping(prefix = "ponte.hub.audit")
public interface AuditConfig {

  /**
   * Most records one group commit writes: one lock, one INSERT batch, one commit for all of them.
   * Large enough that a burst of requests shares a commit; small enough that a batch stays quick.
   */
  @WithDefault("500")
  int batchSize();

  /**
   * Records waiting for the writer at most; past it an access is refused (503 AUDIT_UNAVAILABLE)
   * rather than queued without bound.
   */
  @WithDefault("20000")
  int queueCapacity();

  /**
   * How long a request waits for its batch to be durable before it is refused. A record the writer
   * has not started on by then is dropped; one it has started on is waited for.
   */
  @WithDefault("10s")
  Duration appendTimeout();

  /**
   * How long records are kept: 10 years by default (the longest Portuguese and EU retention rules
   * for clinical access logs that apply to a regional exchange). Enforced by no purge yet: see
   * docs/security.md, "Retention".
   */
  @WithDefault("P10Y")
  Period retention();

  /** Most AuditEvents one search page returns ({@code _count} beyond it is refused). */
  @WithDefault("1000")
  int maxCount();

  /** Page size when {@code _count} is absent. */
  @WithDefault("100")
  int defaultCount();

  /**
   * Benchmarks only: records nothing, so that QIDO-RS throughput can be measured with and without
   * the trail (docs/performance.md). Never set it in a deployment: the hub logs an error at every
   * audited access while it is on.
   */
  @WithDefault("false")
  boolean disabledForBenchmark();
}
