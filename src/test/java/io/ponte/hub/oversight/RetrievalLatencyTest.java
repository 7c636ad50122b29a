package io.ponte.hub.oversight;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's retrieval latency: percentiles of the WADO-RS retrieves in Micrometer's sliding
 * window; once the window holds none, "none recently" rather than a latency of 0 ms.
 */
class RetrievalLatencyTest {

  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final RetrievalLatency latency = new RetrievalLatency();

  RetrievalLatencyTest() {
    latency.registry = registry;
    registry.config().meterFilter(latency.retrievePercentiles());
  }

  @Test
  void nothingMeasuredIsEmpty() {
    timer("/dicomweb/studies/{study}", "SUCCESS").count();
    timer("/fhir/Patient", "SUCCESS").record(Duration.ofMillis(40));

    assertThat(latency.current()).isEmpty();
  }

  @Test
  void recentRetrievesGiveTheirPercentilesAndAnEmptyWindowIsNotZeroMilliseconds() {
    Timer retrieve = timer("/dicomweb/studies/{study}", "SUCCESS");
    for (int ms = 10; ms <= 200; ms += 10) {
      retrieve.record(Duration.ofMillis(ms));
    }
    timer("/dicomweb/studies/{study}", "CLIENT_ERROR").record(Duration.ofSeconds(9));

    RetrievalLatency.Percentiles now = latency.current().orElseThrow();
    assertThat(now.recent()).isTrue();
    assertThat(now.retrieves()).isEqualTo(20);
    assertThat(now.p50Millis()).isBetween(90.0, 115.0);
    assertThat(now.p95Millis()).isBetween(180.0, 215.0);

    // Well past the window (Micrometer's default: 2 minutes over 3 buffers).
    clock.add(Duration.ofMinutes(10));

    RetrievalLatency.Percentiles later = latency.current().orElseThrow();
    assertThat(later.recent()).as("nothing in the window").isFalse();
    assertThat(later.retrieves()).as("still counted since the start").isEqualTo(20);
  }

  private Timer timer(String uri, String outcome) {
    return Timer.builder(RetrievalLatency.TIMER)
        .tag("uri", uri)
        .tag("method", "GET")
        .tag("outcome", outcome)
        .register(registry);
  }
}
