package io.ponte.node.migrate;

import io.ponte.cli.Tool;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code ponte migrate}'s work inside the node: parses the options the command passed on, runs a
 * {@link Migration}, prints the report (and writes it as JSON with {@code --report}). Exit 0 when
 * the run is complete (nothing failed, every stored file verified in Blob), 1 when something is
 * left for the next run, 2 on a bad argument.
 */
@ApplicationScoped
@Unremovable
public class MigrateTool implements Tool {

  @Inject Migration migration;

  @Override
  public String name() {
    return "node-migrate";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    MigrationOptions options;
    boolean terminal;
    try {
      options = options(args);
      terminal = terminal(args);
    } catch (IllegalArgumentException e) {
      out.println("ponte migrate: " + e.getMessage());
      return 2;
    }
    if (!Files.isDirectory(options.from())) {
      out.println("ponte migrate: not a directory: " + options.from());
      return 2;
    }
    out.printf(
        "migrating %s with %d workers%s%n",
        options.from(),
        options.workers(),
        options.bandwidthMegabytesPerSecond() > 0
            ? ", reading at most " + options.bandwidthMegabytesPerSecond() + " MB/s"
            : "");
    MigrationReport report = migration.run(options, out, terminal);
    report.printText(out);
    if (options.report() != null) {
      try (Writer w = Files.newBufferedWriter(options.report(), StandardCharsets.UTF_8)) {
        report.writeJson(w);
      } catch (IOException e) {
        out.println("ponte migrate: could not write the report: " + e.getMessage());
        return 1;
      }
    }
    out.flush();
    return report.complete() ? 0 : 1;
  }

  /** The options as {@code MigrateCommand} passes them: {@code --name value} pairs. */
  static MigrationOptions options(List<String> args) {
    Path from = null;
    int workers = 4;
    double bandwidth = 0;
    Path report = null;
    Duration interval = Duration.ofSeconds(10);
    Duration patience = Duration.ofSeconds(60);
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (name.equals("--terminal")) {
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args.get(++i);
      try {
        switch (name) {
          case "--from" -> from = Path.of(value);
          case "--workers" -> workers = Integer.parseInt(value);
          case "--bandwidth" -> bandwidth = Double.parseDouble(value);
          case "--report" -> report = Path.of(value);
          case "--progress-interval" -> interval = Duration.ofSeconds(Long.parseLong(value));
          case "--verify-patience" -> patience = Duration.ofSeconds(Long.parseLong(value));
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + ": not a number: " + value);
      }
    }
    if (from == null) {
      throw new IllegalArgumentException("--from is required");
    }
    if (workers < 1 || workers > 12) {
      // The node's connection pool has 16 connections; the uploader and verifier need some.
      throw new IllegalArgumentException("--workers must be between 1 and 12");
    }
    return new MigrationOptions(from, workers, bandwidth, report, interval, patience);
  }

  private static boolean terminal(List<String> args) {
    return args.contains("--terminal");
  }
}
