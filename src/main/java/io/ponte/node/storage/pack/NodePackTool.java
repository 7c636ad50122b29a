package io.ponte.node.storage.pack;

import io.ponte.cli.Tool;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code ponte node pack}'s work inside the node: one {@link PackingJob} run, then what it did.
 * Exit 0 when it ran to its end, 1 when Blob failed or a pack was refused (run again; the log says
 * why), 2 on a bad argument or when another packer (the node itself) holds the lock.
 */
@ApplicationScoped
@Unremovable
public class NodePackTool implements Tool {

  @Inject PackingJob job;

  @Inject PackConfig config;

  @Override
  public String name() {
    return "node-pack";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    Duration quiet = config.quietPeriod();
    int series = config.seriesPerRun();
    try {
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("unknown argument " + arg);
        }
        switch (arg) {
          case "--quiet-period" -> quiet = duration(args.get(++i));
          case "--series" -> series = Integer.parseInt(args.get(++i));
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      if (series < 1) {
        throw new IllegalArgumentException("--series must be at least 1");
      }
    } catch (IllegalArgumentException e) {
      out.println("ponte node pack: " + e.getMessage());
      return 2;
    }
    long started = System.nanoTime();
    PackingJob.Run run = job.run(Instant.now(), series, quiet);
    if (run.busy()) {
      out.println("ponte node pack: another packer is running (the node's job): try again later");
      return 2;
    }
    out.printf(
        "unfinished packs of an earlier run finished %d%nseries packed %d, packs written %d,"
            + " instances packed %d, single blobs deleted %d, packs refused %d, series failed"
            + " %d, in %.1f s%n",
        run.recovered(),
        run.series(),
        run.packs(),
        run.instances(),
        run.singlesDeleted(),
        run.refused(),
        run.failed(),
        (System.nanoTime() - started) / 1e9);
    if (run.stoppedBy() != null) {
      out.println("stopped: " + run.stoppedBy() + "; run it again");
    }
    out.flush();
    return run.stoppedBy() == null && run.refused() == 0 && run.failed() == 0 ? 0 : 1;
  }

  /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 0s}, or ISO-8601 ({@code PT12H}). */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      Duration d =
          switch (t.charAt(t.length() - 1)) {
            case 'd' -> Duration.ofDays(n);
            case 'h' -> Duration.ofHours(n);
            case 'm' -> Duration.ofMinutes(n);
            case 's' -> Duration.ofSeconds(n);
            default -> throw new IllegalArgumentException();
          };
      if (d.isNegative()) {
        throw new IllegalArgumentException();
      }
      return d;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--quiet-period: not a duration (e.g. 7d, 12h, 0s): " + text);
    }
  }
}
