package io.ponte.hub.dicomweb;

import io.ponte.testing.Orthanc;
import io.ponte.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * WADO-RS whole studies side by side, one stream (prints figures; never fails a build): the node
 * directly, the same studies through the hub, and Orthanc from Debian (DICOMweb plugin,
 * TCP_NODELAY=1) holding the same instances. {@code -Dbench.studies} (default 20) studies of {@code
 * -Dbench.perStudy} (default 100) × 0.5 MB CT are stowed into the node and into Orthanc and
 * registered at the hub; after {@code -Dbench.warmupRounds} (default 1) untimed rounds, {@code
 * -Dbench.rounds} (default 3) rounds retrieve every study from each of the three, the order of the
 * three rotated per study so that none always goes first. MB/s per source is the bytes of all its
 * answers over their summed time; for a hub also its CPU per GB (user and system, from /proc) and
 * context switches per MB over its answers. {@code -Dbench.baselineHubJar=<jar>} adds a second hub
 * from another build (same database, same heap), measured in the same rounds; {@code
 * -Dbench.hubProps=k=v,...} sets properties of the hub under test only; {@code
 * -Dbench.skipOrthanc=true} leaves Orthanc out. Node and hubs run with {@code -Dbench.nodeHeap} and
 * {@code -Dbench.hubHeap} (default 1g each, as the README runs them). Run: docs/performance.md
 * ("WADO-RS side by side with Orthanc").
 */
public final class WadoSideBySideBench {

  static final int STUDIES = Integer.getInteger("bench.studies", 20);
  static final int PER_STUDY = Integer.getInteger("bench.perStudy", 100);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  // Untimed rounds first, so that the figures are the hubs' and node's steady state, not their
  // JIT's
  // warm-up (which took 1.3-2.9 CPU s/GB of a hub's ~4 over runs of 1-3 GB).
  static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmupRounds", 1);
  // Heaps as the README runs them (ponte.sh's PONTE_JAVA_OPTS default, -Xmx1g); the older figures
  // in docs/performance.md were taken with -Dbench.nodeHeap=512m -Dbench.hubHeap=256m.
  static final String NODE_HEAP = System.getProperty("bench.nodeHeap", "1g");
  static final String HUB_HEAP = System.getProperty("bench.hubHeap", "1g");

  public static void main(String[] args) throws Exception {
    String run = Long.toString(System.currentTimeMillis() % 100000000L);
    Path orthancDir = Files.createDirectories(Paths.get("target", "bench-orthanc-" + run));
    boolean withOrthanc = !Boolean.getBoolean("bench.skipOrthanc");
    String baselineJar = System.getProperty("bench.baselineHubJar");
    try (BenchProcess node =
            BenchProcess.start(
                "node",
                "hospital-a",
                "ponte_node_bench_wado",
                NODE_HEAP,
                Map.of(
                    "ponte.node.storage.cache-dir",
                    "target/bench-wado-cache-" + run,
                    "ponte.node.storage.blob-container",
                    "ponte-bench-wado-" + run));
        BenchProcess hub =
            BenchProcess.start(
                "hub", null, "ponte_hub_bench_wado", HUB_HEAP, withHubProps(hubProps(node)));
        // -Dbench.baselineHubJar=<other build>/target/quarkus-app/quarkus-run.jar: a second hub
        // from another build (same database, same heap), measured in the same rounds.
        BenchProcess baseline =
            baselineJar == null
                ? null
                : BenchProcess.start(
                    "hub",
                    null,
                    "ponte_hub_bench_wado",
                    HUB_HEAP,
                    baselineHubProps(node),
                    Paths.get(baselineJar));
        Orthanc orthanc = withOrthanc ? Orthanc.builder(orthancDir).dicomWeb().start() : null) {
      List<String> studies = new ArrayList<>();
      for (int i = 0; i < STUDIES; i++) {
        String study = "2.25." + run + "." + (i + 1);
        FederationBench.stow(
            node.url() + "/dicomweb/studies",
            Tokens.client("hospital-a-ingest"),
            study,
            study + ".1",
            PER_STUDY);
        if (orthanc != null) {
          FederationBench.stow(
              orthanc.url() + "/dicom-web/studies", null, study, study + ".1", PER_STUDY);
        }
        FederationBench.register(hub, study);
        if (baseline != null) {
          // The same database: this only repeats the publish, so that both hubs have validated
          // the same studies and hold the same (the validator's caches are part of the heap).
          FederationBench.register(baseline, study);
        }
        studies.add(study);
      }
      WadoSideBySideBench.node = node;
      List<Source> sources = new ArrayList<>();
      sources.add(
          new Source(
              "node direct", node.url() + "/dicomweb/studies/", Tokens.client("ponte-hub"), null));
      sources.add(
          new Source(
              "through the hub", hub.url() + "/dicomweb/studies/", Tokens.user("ana.clinic"), hub));
      if (baseline != null) {
        sources.add(
            new Source(
                "through the baseline hub",
                baseline.url() + "/dicomweb/studies/",
                Tokens.user("ana.clinic"),
                baseline));
      }
      if (orthanc != null) {
        sources.add(new Source("Orthanc", orthanc.url() + "/dicom-web/studies/", "-", null));
      }
      int n = sources.size();
      // Same instances from all: part counts and bytes of the first study.
      for (Source s : sources) {
        FederationBench.Result r = s.fetch(studies.get(0), true);
        System.out.printf("check: %-24s %d bytes, %s%n", s.name, r.bytes(), r.digest());
      }
      for (int round = 0; round < WARMUP_ROUNDS; round++) {
        for (String study : studies) {
          for (Source s : sources) {
            s.fetch(study, false);
          }
        }
        System.out.println("warm-up round " + (round + 1) + " done (not counted)");
      }
      System.out.println("load before runs: " + FederationBench.load());
      Map<Source, Map<String, Double>> threadsBefore = new java.util.HashMap<>();
      for (Source s : sources) {
        if (s.process != null) {
          threadsBefore.put(s, s.process.cpuByThreadKind());
        }
      }
      int lateFrom = ROUNDS / 2;
      for (int round = 0; round < ROUNDS; round++) {
        for (Source s : sources) {
          s.startRound(round >= lateFrom);
        }
        for (int i = 0; i < studies.size(); i++) {
          for (int k = 0; k < n; k++) {
            sources.get((i + round + k) % n).timed(studies.get(i));
          }
        }
        StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
        for (Source s : sources) {
          // this round's rate (and % of direct's), then all rounds' so far
          line.append(
              String.format(
                  " %s %.1f MB/s%s (so far %.1f)%s;",
                  s.name,
                  s.roundMbps(),
                  s == sources.get(0)
                      ? ""
                      : String.format(
                          " = %.0f %%", 100 * s.roundMbps() / sources.get(0).roundMbps()),
                  s.mbps(),
                  s.cpu()));
        }
        System.out.println(line + " load " + FederationBench.load());
      }
      // Where each hub's CPU went during the rounds, by kind of thread (its own requests only run
      // then; background work, if any, counts too).
      for (Source s : sources) {
        if (s.process != null) {
          Map<String, Double> before = threadsBefore.get(s);
          StringBuilder line = new StringBuilder(s.name + " CPU by thread, s/GB:");
          s.process.cpuByThreadKind().entrySet().stream()
              .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
              .filter(e -> e.getValue() > 0.005)
              .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
              .forEach(
                  e ->
                      line.append(
                          String.format(" %s %.2f;", e.getKey(), e.getValue() / (s.bytes / 1e9))));
          System.out.println(line);
        }
      }
      sources.forEach(s -> System.out.println(s.machine()));
      double direct = sources.get(0).mbps();
      StringBuilder summary =
          new StringBuilder(
              String.format(
                  "wado side by side: %d studies × %d × 0.5 MB, %d rounds after %d untimed, node"
                      + " -Xmx%s, hub -Xmx%s, one stream: node direct %.1f MB/s",
                  STUDIES, PER_STUDY, ROUNDS, WARMUP_ROUNDS, NODE_HEAP, HUB_HEAP, direct));
      for (Source s : sources.subList(1, n)) {
        summary.append(
            String.format(
                ", %s %.1f MB/s (%.0f %% of direct%s)%s",
                s.name,
                s.mbps(),
                100 * s.mbps() / direct,
                s.process == null ? "" : "; target ≥ 90 %",
                s.cpu()));
      }
      System.out.println(summary);
      StringBuilder late =
          new StringBuilder(
              String.format(
                  "rounds %d-%d only: node direct %.1f MB/s",
                  ROUNDS / 2 + 1, ROUNDS, sources.get(0).lateMbps()));
      for (Source s : sources.subList(1, n)) {
        late.append(
            String.format(
                ", %s %.1f MB/s (%.0f %% of direct)",
                s.name, s.lateMbps(), 100 * s.lateMbps() / sources.get(0).lateMbps()));
      }
      System.out.println(late);
      if (orthanc != null) {
        System.out.printf(
            "node direct %.0f %% of Orthanc (target ≥ 100 %%)%n",
            100 * direct / sources.get(n - 1).mbps());
      }
    }
  }

  /** The node, whose CPU is read around every answer (from whichever source). */
  private static BenchProcess node;

  /** Busy CPU seconds of the whole machine so far, all cores (/proc/stat, USER_HZ = 100). */
  static double machineBusy() {
    try {
      String[] f = Files.readAllLines(Paths.get("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
        busy += Long.parseLong(f[i]);
      }
      return busy / 100.0;
    } catch (java.io.IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** This JVM's CPU seconds so far: the benchmark's own client reading the answers. */
  static double clientCpu() {
    return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /**
   * {@code -Dbench.hubProps=k=v,k2=v2}: settings for the hub under test only, e.g. against a
   * baseline hub of the same build without them.
   */
  private static Map<String, String> withHubProps(Map<String, String> props) {
    Map<String, String> all = new java.util.HashMap<>(props);
    for (String kv : System.getProperty("bench.hubProps", "").split(",")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        all.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
    }
    return all;
  }

  private static Map<String, String> hubProps(BenchProcess node) {
    return Map.of(
        "ponte.hub.federation.node-url.hospital-a", node.url(), "ponte.hub.dimse.enabled", "false");
  }

  /**
   * An older build meets the newer build's migrations in the shared database: it runs on them (they
   * only add) instead of refusing to start.
   */
  private static Map<String, String> baselineHubProps(BenchProcess node) {
    Map<String, String> props = new java.util.HashMap<>(hubProps(node));
    props.put("quarkus.flyway.hub.validate-on-migrate", "false");
    return props;
  }

  /**
   * One of the sides measured: bytes and time of all its answers, and for a hub its CPU (user,
   * system) and context switches over those answers only.
   */
  private static final class Source {
    final String name;
    final String base;
    final String token;
    final BenchProcess process;
    long bytes;
    double seconds;
    // this round's, and the later half of the rounds' (the JITs' work mostly done)
    long roundBytes;
    double roundSeconds;
    long lateBytes;
    double lateSeconds;
    boolean late;
    double user;
    double system;
    long switches;
    double busy;
    double nodeCpu;
    double clientCpu;

    Source(String name, String base, String token, BenchProcess process) {
      this.name = name;
      this.base = base;
      this.token = token;
      this.process = process;
    }

    FederationBench.Result fetch(String study, boolean digest) throws Exception {
      return FederationBench.get(base + study, token, digest);
    }

    void timed(String study) throws Exception {
      double[] cpu0 = process == null ? null : process.cpuUserSystem();
      long cs0 = process == null ? 0 : process.contextSwitches();
      double busy0 = machineBusy();
      double[] node0 = node.cpuUserSystem();
      double client0 = clientCpu();
      FederationBench.Result r = fetch(study, false);
      busy += machineBusy() - busy0;
      double[] node1 = node.cpuUserSystem();
      nodeCpu += node1[0] + node1[1] - node0[0] - node0[1];
      clientCpu += clientCpu() - client0;
      bytes += r.bytes();
      seconds += r.seconds();
      roundBytes += r.bytes();
      roundSeconds += r.seconds();
      if (late) {
        lateBytes += r.bytes();
        lateSeconds += r.seconds();
      }
      if (process != null) {
        double[] cpu1 = process.cpuUserSystem();
        user += cpu1[0] - cpu0[0];
        system += cpu1[1] - cpu0[1];
        switches += process.contextSwitches() - cs0;
      }
    }

    double mbps() {
      return seconds == 0 ? 0 : Math.round(bytes / 1e6 / seconds * 10) / 10.0;
    }

    void startRound(boolean lateRound) {
      roundBytes = 0;
      roundSeconds = 0;
      late = lateRound;
    }

    double roundMbps() {
      return roundSeconds == 0 ? 0 : roundBytes / 1e6 / roundSeconds;
    }

    double lateMbps() {
      return lateSeconds == 0 ? 0 : lateBytes / 1e6 / lateSeconds;
    }

    /**
     * Whether the machine's cores were the limit: how many of them were busy (all processes) while
     * this source answered, and the CPU per GB of the benchmark's own client and of the node.
     */
    String machine() {
      double gb = bytes / 1e9;
      return String.format(
          "%s: machine busy %.2f of %d cores; CPU s/GB: client %.2f, node %.2f%s",
          name,
          busy / seconds,
          Runtime.getRuntime().availableProcessors(),
          clientCpu / gb,
          nodeCpu / gb,
          process == null ? "" : String.format(", hub %.2f", (user + system) / gb));
    }

    String cpu() {
      if (process == null || bytes == 0) {
        return "";
      }
      double gb = bytes / 1e9;
      return String.format(
          " [CPU %.2f s/GB = user %.2f + sys %.2f; %.0f context switches/MB]",
          (user + system) / gb, user / gb, system / gb, switches / (bytes / 1e6));
    }
  }
}
