package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

  private final BackoffPolicy policy =
      new BackoffPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5), new Random(42));

  @Test
  void firstRetryWaitsTheInitialDelay() {
    assertThat(policy.nominalDelay(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.nominalDelay(0)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void delayDoublesAfterEachFailure() {
    assertThat(policy.nominalDelay(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.nominalDelay(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.nominalDelay(8)).isEqualTo(Duration.ofSeconds(256));
  }

  @Test
  void delayNeverExceedsTheCapEvenAfterThousandsOfFailures() {
    assertThat(policy.nominalDelay(9)).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.nominalDelay(64)).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.nominalDelay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void nominalDelayNeverDecreasesAsFailuresGrow() {
    Duration previous = Duration.ZERO;
    for (int failures = 1; failures < 200; failures++) {
      Duration next = policy.nominalDelay(failures);
      assertThat(next).isGreaterThanOrEqualTo(previous);
      previous = next;
    }
  }

  @Test
  void jitterOnlyShortensByAtMostAFifth() {
    Random seeded = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      int failures = 1 + seeded.nextInt(20);
      long nominal = policy.nominalDelay(failures).toMillis();
      long actual = policy.delay(failures).toMillis();
      assertThat(actual).isBetween(Math.round(nominal * 0.8) - 1, nominal);
    }
  }

  @Test
  void jitterSpreadsRetriesOut() {
    long distinct =
        java.util.stream.IntStream.range(0, 50)
            .mapToLong(i -> policy.delay(5).toMillis())
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(10);
  }

  @Test
  void refusesACapBelowTheInitialDelay() {
    assertThatThrownBy(
            () -> new BackoffPolicy(Duration.ofSeconds(10), Duration.ofSeconds(1), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BackoffPolicy(Duration.ZERO, Duration.ofSeconds(1), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRefusalWaitsTheMaximumAThrottleAtLeastItsRetryAfterAnOutageTheBackoff() {
    Delivery refused = Delivery.of(422, "{}", java.util.Optional.empty());
    Delivery throttled = Delivery.of(429, "", java.util.Optional.of(Duration.ofSeconds(90)));
    Delivery down = Delivery.unreachable("connection refused");
    assertThat(policy.after(refused, 1)).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.after(throttled, 1)).isEqualTo(Duration.ofSeconds(90));
    assertThat(policy.after(down, 1)).isLessThanOrEqualTo(Duration.ofSeconds(2));
    // a backoff already longer than the hub asked for is kept
    assertThat(policy.after(throttled, 8)).isGreaterThan(Duration.ofSeconds(90));
  }
}
