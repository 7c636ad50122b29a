package io.ponte.load;

import io.ponte.faults.FaultKit;
import io.ponte.testing.PonteProcess;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap each process holds after a full GC, sampled every period: {@code jcmd <pid> GC.run}
 * (System.gc(), a full collection with G1), then {@code jvm_gc_live_data_size_bytes} from its
 * {@code /q/metrics}: the old generation as that collection left it, which holds everything live
 * after a full GC. Live data is what a leak makes grow; the used heap between collections only says
 * when the next one comes. The used heap read after the GC ({@code jvm_memory_used_bytes}) is the
 * fallback only: on a loaded machine seconds pass between the GC and the scrape, and what the
 * process allocated meanwhile (20 clinicians' retrieves) made it swing by +-30 MB.
 */
final class HeapSampler {

  private static final Pattern LIVE =
      Pattern.compile("^jvm_gc_live_data_size_bytes(?:\\{[^}]*\\})?\\s+(\\S+)", Pattern.MULTILINE);
  private static final Pattern HEAP =
      Pattern.compile(
          "^jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\}\\s+(\\S+)", Pattern.MULTILINE);

  /** Growth allowed between the first and the last third before the heap is "not flat". */
  static final double GROWTH = 0.20;

  /** ...and at least this much, so that a few MB of noise on a small heap is not a verdict. */
  static final double MIN_GROWTH_MB = 16;

  private final Map<String, PonteProcess> processes = new LinkedHashMap<>();
  private final Map<String, List<Double>> samples = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  void watch(String name, PonteProcess process) {
    processes.put(name, process);
    samples.put(name, new ArrayList<>());
  }

  /** One sample of every process, in MB; a process that cannot be sampled is a problem. */
  void sample() {
    processes.forEach(
        (name, p) -> {
          try {
            Process gc =
                new ProcessBuilder("jcmd", Long.toString(p.pid()), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
              gc.destroyForcibly();
              throw new IllegalStateException("jcmd GC.run failed");
            }
            HttpResponse<byte[]> r = FaultKit.get(p.baseUrl() + "/q/metrics", null, "text/plain");
            Matcher live = LIVE.matcher(FaultKit.body(r));
            if (live.find() && Double.parseDouble(live.group(1)) > 0) {
              samples.get(name).add(Double.parseDouble(live.group(1)) / (1 << 20));
              return;
            }
            Matcher m = HEAP.matcher(FaultKit.body(r));
            double bytes = 0;
            int pools = 0;
            while (m.find()) {
              bytes += Double.parseDouble(m.group(1));
              pools++;
            }
            if (pools == 0) {
              throw new IllegalStateException("/q/metrics answered " + FaultKit.status(r));
            }
            samples.get(name).add(bytes / (1 << 20));
          } catch (Exception e) {
            problems.add(name + ": " + e.getMessage());
          }
        });
  }

  /** True when every process's heap is flat and every sample was taken. */
  boolean flat() {
    return problems.isEmpty()
        && samples.values().stream().allMatch(s -> s.size() >= 3 && verdict(s));
  }

  List<String> table() {
    List<String> lines = new ArrayList<>();
    samples.forEach(
        (name, s) -> {
          StringBuilder row = new StringBuilder();
          s.forEach(mb -> row.append(String.format(Locale.ROOT, " %4.0f", mb)));
          if (s.size() < 3) {
            lines.add(String.format(Locale.ROOT, "  %-7s%s  too few samples", name, row));
            return;
          }
          int third = s.size() / 3;
          lines.add(
              String.format(
                  Locale.ROOT,
                  "  %-7s%s  first third %.0f, last third %.0f: %s",
                  name,
                  row,
                  mean(s.subList(0, third)),
                  mean(s.subList(s.size() - third, s.size())),
                  verdict(s) ? "flat" : "NOT FLAT"));
        });
    problems.forEach(p -> lines.add("  sample failed: " + p));
    return lines;
  }

  /** Flat: the last third's mean at most 20 % (and 16 MB) above the first third's. */
  static boolean verdict(List<Double> s) {
    int third = s.size() / 3;
    double first = mean(s.subList(0, third));
    double last = mean(s.subList(s.size() - third, s.size()));
    return last - first <= Math.max(first * GROWTH, MIN_GROWTH_MB);
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }
}
