package io.ponte.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The fault suite: each scenario starts the packaged hub and/or node (target/quarkus-app), injects
 * one fault on loopback, and prints PASS or FAIL with what it measured; the exit status is 1 when
 * any scenario fails. Run by {@code src/main/scripts/ponte.sh faults [scenario...]}
 * (docs/operations.md, "Fault suite"). Shared services are never stopped: outages are a proxy the
 * suite cuts (Azurite, Keycloak), a PostgreSQL cluster of its own, or a tmpfs it fills.
 */
public final class FaultSuite {

  static final List<Scenario> ALL =
      List.of(
          new KillNodeMidIngest(),
          new HubDownWhilePublishing(),
          new BlobDownAndBack(),
          new PostgresRestart(),
          new KeycloakDown(),
          new DiskFull());

  public static void main(String[] args) throws Exception {
    List<Scenario> chosen = new ArrayList<>();
    for (Scenario s : ALL) {
      if (args.length == 0 || Arrays.asList(args).contains(s.name())) {
        chosen.add(s);
      }
    }
    if (chosen.isEmpty()) {
      System.err.println("unknown scenario; one of: " + ALL.stream().map(Scenario::name).toList());
      System.exit(2);
    }
    Path work = Files.createTempDirectory("ponte-faults-");
    System.out.printf(
        Locale.ROOT,
        "Ponte fault suite, run %s, %s, %d cores, logs of the processes: target/it-logs/%n",
        Processes.RUN,
        Instant.now(),
        Runtime.getRuntime().availableProcessors());
    List<String> summary = new ArrayList<>();
    boolean allPass = true;
    try {
      for (Scenario s : chosen) {
        System.out.printf("%n== %s: %s%n", s.name(), s.title());
        Scenario.Report report = new Scenario.Report();
        long start = System.nanoTime();
        try {
          s.run(Files.createDirectories(work.resolve(s.name())), report);
        } catch (Exception | AssertionError e) {
          report.failed(e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String verdict = report.pass() ? "PASS" : "FAIL";
        String line =
            String.format(
                Locale.ROOT, "%-4s %-17s %5.0f s  %s", verdict, s.name(), seconds, s.title());
        System.out.println(line);
        summary.add(line);
        allPass &= report.pass();
      }
    } finally {
      Processes.cleanUp();
      deleteQuietly(work);
    }
    System.out.println();
    System.out.println("Summary");
    summary.forEach(l -> System.out.println("  " + l));
    System.out.println(allPass ? "all scenarios passed" : "FAILED");
    System.exit(allPass ? 0 : 1);
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      System.out.println("left " + dir + ": " + e.getMessage());
    }
  }

  private FaultSuite() {}

  static Path root() {
    return Paths.get("").toAbsolutePath();
  }
}
