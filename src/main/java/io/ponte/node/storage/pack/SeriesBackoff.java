package io.ponte.node.storage.pack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The series whose packing failed while Blob answered (their own fault, e.g. an instance neither
 * cached nor in Blob), kept out of the packing runs for a while: the runs take the oldest series
 * first, so one that fails every time would come first again in every run, and {@code
 * series-per-run} of them would leave no run to any other series. The wait is two runs' interval,
 * doubled per failure in a row, at most a day. In memory only: a restart (or a command's run, its
 * own process) tries them again at once, which costs one failure each.
 */
final class SeriesBackoff {

  private static final Duration MAX = Duration.ofDays(1);

  private record Failed(int times, Instant until) {}

  private final Map<String, Failed> failed = new HashMap<>();

  /**
   * The series kept out as of {@code now}. Those whose wait ended a day ago and that did not fail
   * since (packed, or gone) are forgotten.
   */
  synchronized List<String> keptOut(Instant now) {
    failed.values().removeIf(f -> f.until().plus(MAX).isBefore(now));
    List<String> out = new ArrayList<>();
    failed.forEach(
        (series, f) -> {
          if (f.until().isAfter(now)) {
            out.add(series);
          }
        });
    return out;
  }

  /** The series failed at {@code now}; returns how long it is kept out. */
  synchronized Duration failed(String series, Instant now, Duration interval) {
    int times = failed.containsKey(series) ? failed.get(series).times() + 1 : 1;
    Duration wait = interval.multipliedBy(1L << Math.min(times, 20));
    if (wait.compareTo(MAX) > 0 || wait.isNegative()) {
      wait = MAX;
    }
    failed.put(series, new Failed(times, now.plus(wait)));
    return wait;
  }

  /** The series was packed: its failures are forgotten. */
  synchronized void packed(String series) {
    failed.remove(series);
  }
}
