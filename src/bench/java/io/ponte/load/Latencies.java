package io.ponte.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** Per operation: every latency, the errors, and the first few error messages, for the report. */
final class Latencies {

  private static final int MESSAGES_KEPT = 5;

  private final Map<String, Operation> operations = new ConcurrentSkipListMap<>();

  private static final class Operation {
    private long[] millis = new long[1024];
    private int count;
    private int errors;
    private final List<String> messages = new ArrayList<>();

    synchronized void ok(long ms) {
      if (count == millis.length) {
        millis = Arrays.copyOf(millis, count * 2);
      }
      millis[count++] = ms;
    }

    synchronized void error(long ms, String message) {
      ok(ms);
      errors++;
      if (messages.size() < MESSAGES_KEPT) {
        messages.add(message);
      }
    }
  }

  private Operation of(String name) {
    return operations.computeIfAbsent(name, n -> new Operation());
  }

  void ok(String operation, long ms) {
    of(operation).ok(ms);
  }

  void error(String operation, long ms, String message) {
    of(operation).error(ms, message);
  }

  long errors() {
    return operations.values().stream().mapToLong(o -> o.errors).sum();
  }

  /** The table: operation, count, errors, p50/p95/p99 ms (an error's time counts too). */
  List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "  %-18s %8s %7s %8s %8s %8s",
            "operation",
            "count",
            "errors",
            "p50 ms",
            "p95 ms",
            "p99 ms"));
    operations.forEach(
        (name, op) -> {
          synchronized (op) {
            long[] sorted = Arrays.copyOf(op.millis, op.count);
            Arrays.sort(sorted);
            lines.add(
                String.format(
                    Locale.ROOT,
                    "  %-18s %8d %7d %8d %8d %8d",
                    name,
                    op.count,
                    op.errors,
                    percentile(sorted, 50),
                    percentile(sorted, 95),
                    percentile(sorted, 99)));
            op.messages.forEach(m -> lines.add("      error: " + m));
          }
        });
    return lines;
  }

  /** Nearest-rank percentile; 0 when nothing was measured. */
  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
