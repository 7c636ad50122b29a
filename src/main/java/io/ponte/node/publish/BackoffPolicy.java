package io.ponte.node.publish;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with a cap: {@code initial * 2^(failures-1)}, never more than {@code max}. A
 * random reduction of up to a fifth spreads retries out, so that nodes do not all hit a hub that
 * comes back at once.
 */
public final class BackoffPolicy {

  private static final double JITTER = 0.2;

  private final Duration initial;
  private final Duration max;
  private final Random random;

  public BackoffPolicy(Duration initial, Duration max, Random random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The undelayed wait after {@code failures} consecutive failures (1 = the first failure). */
  public Duration nominalDelay(int failures) {
    if (failures <= 1) {
      return initial;
    }
    // Doubling past 2^40 times any sensible initial overflows long millis long after reaching the
    // cap.
    int doublings = Math.min(failures - 1, 40);
    long millis = initial.toMillis();
    long capped = max.toMillis();
    for (int i = 0; i < doublings && millis < capped; i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, capped));
  }

  /** The wait to use: the nominal delay less up to 20 % at random. */
  public Duration delay(int failures) {
    long nominal = nominalDelay(failures).toMillis();
    double factor;
    synchronized (random) {
      factor = 1.0 - JITTER * random.nextDouble();
    }
    return Duration.ofMillis(Math.max(1, Math.round(nominal * factor)));
  }

  public Duration max() {
    return max;
  }

  /**
   * The wait after a delivery that failed for the {@code failures}-th time: the longest for a
   * refusal (it will not change by itself), at least the hub's Retry-After when it throttles, the
   * backoff otherwise.
   */
  public Duration after(Delivery delivery, int failures) {
    return switch (delivery.kind()) {
      case REJECTED -> max;
      case THROTTLED -> {
        Duration backoff = delay(failures);
        Duration asked = delivery.retryAfter().orElse(Duration.ZERO);
        yield asked.compareTo(backoff) > 0 ? asked : backoff;
      }
      default -> delay(failures);
    };
  }
}
