package io.ponte.node.storage.blob;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long a rehydration out of ARCHIVE takes. On Azure the service decides (up to 15 h at standard
 * priority) and this policy only gives the estimate. Azurite moves an archived blob back at once,
 * so for tests and the demo the policy can <em>simulate</em> the wait: {@link AzureBlobStore} then
 * keeps the blob archived until the delay has passed since the first request, and only then changes
 * its tier. The pending requests live in memory: a restart forgets them and the next retrieve asks
 * again.
 */
public final class RehydrationDelay {

  private final Duration estimate;
  private final boolean simulated;
  private final Clock clock;
  private final Map<String, Instant> requested = new ConcurrentHashMap<>();

  private RehydrationDelay(Duration estimate, boolean simulated, Clock clock) {
    this.estimate = estimate;
    this.simulated = simulated;
    this.clock = clock;
  }

  /** The real service's wait, {@code estimate} being what clients are told to expect. */
  public static RehydrationDelay service(Duration estimate) {
    return new RehydrationDelay(estimate, false, Clock.systemUTC());
  }

  /** A wait of {@code delay} simulated by the store (Azurite has none). */
  public static RehydrationDelay simulated(Duration delay, Clock clock) {
    return new RehydrationDelay(delay, true, clock);
  }

  public Duration estimate() {
    return estimate;
  }

  boolean simulated() {
    return simulated;
  }

  /** Records a simulated request (the first one counts); returns when it completes. */
  Instant request(String name) {
    return requested.computeIfAbsent(name, n -> clock.instant()).plus(estimate);
  }

  /** When a simulated rehydration of {@code name} completes, if one is pending. */
  Optional<Instant> pending(String name) {
    return Optional.ofNullable(requested.get(name)).map(at -> at.plus(estimate));
  }

  boolean due(Instant completesAt) {
    return !clock.instant().isBefore(completesAt);
  }

  void completed(String name) {
    requested.remove(name);
  }
}
