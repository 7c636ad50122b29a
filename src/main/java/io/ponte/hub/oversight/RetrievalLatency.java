package io.ponte.hub.oversight;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Retrieval latency p50/p95 from the hub's own measurements: Quarkus times every HTTP request
 * ({@code http_server_requests_seconds}); this filter asks those timers of WADO-RS retrieves
 * ({@code /dicomweb/studies/...}) for p50 and p95, which Micrometer keeps over a sliding window of
 * a few minutes, per hub process. Nothing measured yet is empty, not zero.
 */
@ApplicationScoped
public class RetrievalLatency {

  static final String TIMER = "http.server.requests";

  /**
   * p50 and p95 in milliseconds, and how many retrieves the timers have seen since the start; not
   * {@code recent} when none fell in the sliding window (the percentiles then read 0, which is no
   * measurement, not a zero latency).
   */
  public record Percentiles(double p50Millis, double p95Millis, long retrieves, boolean recent) {}

  @Inject MeterRegistry registry;

  /** Percentiles for the retrieve timers, the largest of each over the retrieve routes. */
  public Optional<Percentiles> current() {
    double p50 = 0;
    double p95 = 0;
    long count = 0;
    for (Timer t : registry.find(TIMER).timers()) {
      if (!isRetrieve(t.getId())) {
        continue;
      }
      count += t.count();
      for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
        if (v.percentile() == 0.5) {
          p50 = Math.max(p50, v.value(TimeUnit.MILLISECONDS));
        } else if (v.percentile() == 0.95) {
          p95 = Math.max(p95, v.value(TimeUnit.MILLISECONDS));
        }
      }
    }
    return count == 0
        ? Optional.empty()
        : Optional.of(new Percentiles(p50, p95, count, p50 > 0 || p95 > 0));
  }

  static boolean isRetrieve(Meter.Id id) {
    String uri = id.getTag("uri");
    return uri != null
        && uri.contains("/dicomweb/studies/")
        && "GET".equals(id.getTag("method"))
        && "SUCCESS".equals(id.getTag("outcome"));
  }

  /** Percentiles for the retrieve timers only: the other routes stay as cheap as before. */
  @Produces
  @Singleton
  MeterFilter retrievePercentiles() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (TIMER.equals(id.getName()) && isRetrieve(id)) {
          return DistributionStatisticConfig.builder().percentiles(0.5, 0.95).build().merge(config);
        }
        return config;
      }
    };
  }
}
