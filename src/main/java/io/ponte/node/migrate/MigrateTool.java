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
 * left for the next run, 2 on a bad argument or when another packer holds the packers' lock for too
 * long, 3 when a remote source cannot be used (unreachable, association or request refused).
 */
@ApplicationScoped
@Unremovable
public class MigrateTool implements Tool {

  @Inject Migration migration;

  @Inject RemoteSources remoteSources;

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
    if (options.remote() == null && !Files.isDirectory(options.from())) {
      out.println("ponte migrate: not a directory: " + options.from());
      return 2;
    }
    out.printf(
        "migrating %s with %d workers%s%n",
        options.remote() != null ? options.remote().uri() : options.from(),
        options.workers(),
        options.bandwidthMegabytesPerSecond() > 0
            ? ", reading at most " + options.bandwidthMegabytesPerSecond() + " MB/s"
            : "");
    MigrationReport report;
    if (options.remote() != null) {
      try (RemoteSource remote = remoteSources.open(options.remote())) {
        remote.check();
        report = migration.run(options, remote, out, terminal);
      } catch (IllegalArgumentException | Migration.PackerBusyException e) {
        out.println("ponte migrate: " + e.getMessage());
        return 2;
      } catch (RemoteSource.SourceUnavailableException e) {
        out.println("ponte migrate: the source cannot be used: " + e.getMessage());
        return 3;
      } catch (IOException e) {
        out.println("ponte migrate: " + e);
        return 3;
      }
    } else {
      try {
        report = migration.run(options, out, terminal);
      } catch (Migration.PackerBusyException e) {
        out.println("ponte migrate: " + e.getMessage());
        return 2;
      }
    }
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
    String from = null;
    String callingAet = "PONTE_MIGRATE";
    String moveDest = null;
    int movePort = 0;
    Path tokenFile = null;
    int pageSize = 100;
    Duration timeout = Duration.ofSeconds(60);
    Path spool = Path.of(System.getProperty("java.io.tmpdir"));
    int workers = 4;
    double bandwidth = 0;
    Path report = null;
    Duration interval = Duration.ofSeconds(10);
    Duration patience = Duration.ofSeconds(60);
    int packInstances = MigrationPacks.PACK_INSTANCES;
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
          case "--from" -> from = value;
          case "--calling-aet" -> callingAet = value;
          case "--move-dest" -> moveDest = value;
          case "--move-port" -> movePort = Integer.parseInt(value);
          case "--token-file" -> tokenFile = Path.of(value);
          case "--page-size" -> pageSize = Integer.parseInt(value);
          case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value));
          case "--spool" -> spool = Path.of(value);
          case "--workers" -> workers = Integer.parseInt(value);
          case "--bandwidth" -> bandwidth = Double.parseDouble(value);
          case "--report" -> report = Path.of(value);
          case "--progress-interval" -> interval = Duration.ofSeconds(Long.parseLong(value));
          case "--verify-patience" -> patience = Duration.ofSeconds(Long.parseLong(value));
          case "--pack-instances" -> packInstances = Integer.parseInt(value);
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
    if (packInstances < 0 || packInstances > 10_000) {
      // A pack's index takes about 200 bytes per instance and is read whole (PackFormat.MAX_INDEX).
      throw new IllegalArgumentException("--pack-instances must be between 0 (no packs) and 10000");
    }
    if (pageSize < 1 || pageSize > 10_000) {
      throw new IllegalArgumentException("--page-size must be between 1 and 10000");
    }
    if (!MigrationOptions.remote(from)) {
      if (from.contains("://")) {
        throw new IllegalArgumentException(
            "unknown source "
                + from
                + ": a directory, dimse://AET@host:port or dicomweb+http(s)://");
      }
      return new MigrationOptions(
          Path.of(from), workers, bandwidth, report, interval, patience, null, packInstances);
    }
    if (moveDest != null && (movePort < 1 || movePort > 65535)) {
      throw new IllegalArgumentException(
          "--move-dest needs --move-port: the port the PACS sends to for that AE title");
    }
    if (callingAet.isBlank() || callingAet.length() > 16) {
      throw new IllegalArgumentException("--calling-aet must have 1 to 16 characters");
    }
    return new MigrationOptions(
        null,
        workers,
        bandwidth,
        report,
        interval,
        patience,
        new MigrationOptions.Remote(
            from, callingAet, moveDest, movePort, tokenFile, pageSize, timeout, spool),
        packInstances);
  }

  private static boolean terminal(List<String> args) {
    return args.contains("--terminal");
  }
}
