package io.ponte.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the node ingest benchmarks share: generating 0.5 MB CT instances with dcmtk, starting a
 * packaged node (its own database and cache, Azurite for Blob) and Orthanc, a Keycloak ingest
 * token, and the CPU time a process has used (from /proc), so a figure can be given per instance.
 * JDK only, so the benchmarks compile with plain javac (see {@link StowIngestBench}).
 */
final class NodeBench {

  static final Path ROOT = Path.of("").toAbsolutePath();
  static final String KEYCLOAK = "http://127.0.0.1:8180/realms/ponte/protocol/openid-connect/token";
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * The packaged node; {@code -Dbench.jar=...} runs another build (e.g. the one before a change).
   */
  static final Path DEFAULT_JAR = ROOT.resolve("target/quarkus-app/quarkus-run.jar");

  private NodeBench() {}

  /** A running node: its process, HTTP and DICOM ports, its database. */
  record Node(String label, Process process, int httpPort, int dicomPort, String database)
      implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      stop(process);
    }

    /**
     * Waits until the Blob upload worker has sent every stored instance; returns the seconds
     * waited. Before a measured phase, so that it does not pay for the uploads of what came before
     * it (the warm-up's above all).
     */
    double awaitUploads() throws Exception {
      long start = System.nanoTime();
      long deadline = start + TimeUnit.MINUTES.toNanos(10);
      while (System.nanoTime() < deadline) {
        String pending =
            query(database, "select count(*) from instance where blob_state = 'PENDING'");
        if (pending.equals("0")) {
          return (System.nanoTime() - start) / 1e9;
        }
        Thread.sleep(250);
      }
      throw new IllegalStateException(label + ": uploads still pending after 10 minutes");
    }

    /**
     * What the node's index points at in Blob: objects (packs and instances of their own), and
     * instances in packs (packing at ingest, or the packing job).
     */
    String objects() throws Exception {
      String[] n =
          query(
                  database,
                  "select count(distinct blob_name) || '|'"
                      + " || count(*) filter (where pack_offset is not null) || '|'"
                      + " || count(distinct blob_name) filter (where pack_offset is not null)"
                      + " from instance where blob_state = 'UPLOADED'")
              .split("\\|");
      return "Blob objects " + n[0] + " (" + n[1] + " instances in " + n[2] + " packs)";
    }
  }

  /** A running Orthanc: HTTP (DICOMweb plugin) and DICOM ports. */
  record Orthanc(Process process, int httpPort, int dicomPort) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      stop(process);
    }
  }

  /**
   * Nodes to measure, from {@code
   * -Dbench.nodes=label=path/quarkus-run.jar,label2=other/quarkus-run.jar} (two builds interleaved
   * in one run, for a before/after), else the one packaged in target/. A jar may be followed by
   * {@code |} and JVM options of that node only, space-separated, to compare settings of one build:
   * {@code
   * -Dbench.nodes="8k=target/quarkus-app/quarkus-run.jar,64k=target/quarkus-app/quarkus-run.jar|-Dquarkus.http.limits.max-chunk-size=64K"}.
   * Returns label, jar and (possibly empty) options.
   */
  static List<String[]> nodeJars() {
    String spec = System.getProperty("bench.nodes");
    List<String[]> jars = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      jars.add(
          new String[] {"Ponte node", System.getProperty("bench.jar", DEFAULT_JAR.toString()), ""});
      return jars;
    }
    for (String one : spec.split(",")) {
      String[] kv = one.split("=", 2);
      String[] jarAndOptions = kv[1].split("\\|", 2);
      jars.add(
          new String[] {kv[0], jarAndOptions[0], jarAndOptions.length > 1 ? jarAndOptions[1] : ""});
    }
    return jars;
  }

  /**
   * CT instances of 512x512x16 bit, {@code perStudy} per study (one series each): dcmtk's dump2dcm
   * writes one template with placeholder values of fixed length, and each instance is that template
   * with its own UIDs, accession and instance number patched in and random pixels (a process per
   * file made generating the thousands of instances of a run take minutes).
   */
  static List<Path> generate(Path dir, int count, int perStudy, int seed) throws Exception {
    Files.createDirectories(dir);
    Random random = new Random(seed);
    byte[] pixels = new byte[512 * 512 * 2];
    Path raw = dir.resolve("pixels.raw");
    Files.write(raw, pixels);
    Path dump = dir.resolve("ct.dump");
    Files.writeString(
        dump,
        String.join(
                "\n",
                "(0008,0005) CS [ISO_IR 100]",
                "(0008,0016) UI =CTImageStorage",
                "(0008,0018) UI [" + SOP + "]",
                "(0008,0020) DA [20260115]",
                "(0008,0030) TM [101500]",
                "(0008,0050) SH [" + ACCESSION + "]",
                "(0008,0060) CS [CT]",
                "(0010,0010) PN [Bench^Patient]",
                "(0010,0020) LO [BENCH-" + seed + "]",
                "(0020,000d) UI [" + STUDY + "]",
                "(0020,000e) UI [" + SERIES + "]",
                "(0020,0013) IS [" + NUMBER + "]",
                "(0028,0002) US 1",
                "(0028,0004) CS [MONOCHROME2]",
                "(0028,0010) US 512",
                "(0028,0011) US 512",
                "(0028,0100) US 16",
                "(0028,0101) US 16",
                "(0028,0102) US 15",
                "(0028,0103) US 0",
                "(7fe0,0010) OW =" + raw)
            + "\n");
    Path templateFile = dir.resolve("template.dcm");
    exec(List.of("dump2dcm", "+te", dump.toString(), templateFile.toString()));
    byte[] template = Files.readAllBytes(templateFile);
    int header = template.length - pixels.length; // Pixel Data is the last element
    Files.delete(templateFile);
    Files.delete(raw);
    Files.delete(dump);

    List<Path> files = new ArrayList<>();
    String study = null;
    String series = null;
    for (int i = 0; i < count; i++) {
      if (i % perStudy == 0) {
        study = uid(random);
        series = uid(random);
      }
      byte[] file = template.clone();
      patch(file, header, SOP, uid(random)); // the data set's and the file meta's
      patch(file, header, STUDY, study);
      patch(file, header, SERIES, series);
      patch(file, header, ACCESSION, String.format(Locale.ROOT, "BENCH%05d", i / perStudy));
      patch(file, header, NUMBER, String.format(Locale.ROOT, "%04d", i % perStudy + 1));
      random.nextBytes(pixels);
      System.arraycopy(pixels, 0, file, header, pixels.length);
      Path out = dir.resolve(String.format(Locale.ROOT, "%05d.dcm", i));
      Files.write(out, file);
      files.add(out);
    }
    return files;
  }

  // Placeholders of the template: each the length of what replaces it.
  private static final String SOP = "2.25.1" + "3".repeat(38);
  private static final String STUDY = "2.25.1" + "1".repeat(38);
  private static final String SERIES = "2.25.1" + "2".repeat(38);
  private static final String ACCESSION = "BENCH99999";
  private static final String NUMBER = "9999";

  /** Replaces every occurrence of the placeholder in the first {@code end} bytes. */
  private static void patch(byte[] file, int end, String placeholder, String value) {
    byte[] from = placeholder.getBytes(StandardCharsets.US_ASCII);
    byte[] to = value.getBytes(StandardCharsets.US_ASCII);
    if (from.length != to.length) {
      throw new IllegalArgumentException(value + " does not fit " + placeholder);
    }
    int found = 0;
    for (int i = 0; i + from.length <= end; i++) {
      if (Arrays.equals(file, i, i + from.length, from, 0, from.length)) {
        System.arraycopy(to, 0, file, i, to.length);
        found++;
      }
    }
    if (found == 0) {
      throw new IllegalStateException(placeholder + " not in the template");
    }
  }

  /** A UID of fixed length (44 characters): 2.25. and a 39-digit number that starts with 1. */
  static String uid(Random random) {
    return "2.25.1" + String.format(Locale.ROOT, "%038d", new java.math.BigInteger(125, random));
  }

  static Orthanc startOrthanc(Path dir) throws Exception {
    Files.createDirectories(dir);
    int httpPort = freePort();
    int dicomPort = freePort();
    Path config = dir.resolve("orthanc.json");
    Files.writeString(
        config,
        """
                {
                  "Name": "PONTE-BENCH",
                  "DicomAet": "ORTHANC",
                  "StorageDirectory": "%s",
                  "IndexDirectory": "%s",
                  "HttpPort": %d,
                  "DicomPort": %d,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "Plugins": ["/usr/share/orthanc/plugins/libOrthancDicomWeb.so"],
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
                }
                """
            .formatted(dir.resolve("storage"), dir.resolve("index"), httpPort, dicomPort));
    ProcessBuilder pb =
        new ProcessBuilder("Orthanc", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("orthanc.log").toFile());
    // The peer gets the node's settings: without it Orthanc's DIMSE runs with Nagle on (21-82/s).
    pb.environment().put("TCP_NODELAY", "1");
    Process p = pb.start();
    Orthanc orthanc = new Orthanc(p, httpPort, dicomPort);
    waitFor("http://127.0.0.1:" + httpPort + "/system", p);
    waitForPort(dicomPort, p);
    return orthanc;
  }

  /**
   * The packaged node as a hospital runs it: role node, site hospital-a, its own fresh database
   * ({@code ponte_node_bench_<n>}) and cache under {@code dir}, Azurite for Blob, -Xmx256m; DIMSE
   * listener on a free port (AE PONTE). {@code deferUpload} parks the Blob upload worker.
   */
  static Node startNode(String[] spec, Path dir, int n, boolean deferUpload, List<String> jvmArgs)
      throws Exception {
    String label = spec[0];
    Path jar = Path.of(spec[1]);
    Files.createDirectories(dir);
    String db = "ponte_node_bench_" + n;
    query("postgres", "drop database if exists " + db);
    query("postgres", "create database " + db);
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "build first: mvn -B -o -q package -DskipTests (" + jar + " missing)");
    }
    int http = freePort();
    int dicom = freePort();
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m"));
    cmd.addAll(jvmArgs);
    // e.g. -Dbench.jvmArgs="-XX:+PrintCompilation" (each node's output is in
    // <work>/node<n>/node.log)
    String extra = (System.getProperty("bench.jvmArgs", "") + " " + spec[2]).trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.addAll(
        List.of(
            "-Dquarkus.http.port=" + http,
            "-Dquarkus.datasource.node.jdbc.url=jdbc:postgresql://127.0.0.1:5432/" + db,
            "-Dponte.node.storage.cache-dir=" + dir.resolve("cache"),
            "-Dponte.node.storage.blob-container=ponte-bench-" + http,
            "-Dponte.node.dimse.port=" + dicom,
            "-Dquarkus.log.level=WARN",
            // The demo realm's client secrets are accepted only in the demo profile.
            "-Dquarkus.profile=demo",
            // Ingest only: there is no hub here, so a publisher would only retry, and its first run
            // (loading
            // HAPI's FHIR model, seconds of CPU) would land in whichever phase it happened to meet.
            "-Dponte.node.publish.enabled=false",
            "-Dponte.node.storage.upload-interval=" + (deferUpload ? "24h" : "5s"),
            "-jar",
            jar.toString(),
            "serve",
            "--role",
            "NODE",
            "--site",
            "hospital-a"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node.log").toFile())
            .start();
    Node node = new Node(label, p, http, dicom, db);
    waitFor("http://127.0.0.1:" + http + "/q/health/live", p);
    waitForPort(dicom, p);
    return node;
  }

  static String token() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(KEYCLOAK))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "grant_type=client_credentials&client_id=hospital-a-ingest"
                        + "&client_secret=hospital-a-ingest-secret"))
            .build();
    String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no token from Keycloak: " + body);
    }
    return m.group(1);
  }

  /**
   * Instances sent to a node before anything is measured ({@code -Dbench.warmup}, default 1000): a
   * JVM's JIT compilers spend seconds of CPU on the ingest path first (with a warm-up of 100, the
   * C1/C2 compiler threads used a third of the node's CPU in the measured phases), and a node runs
   * for months.
   */
  static int warmUpInstances() {
    return Integer.getInteger("bench.warmup", 1000);
  }

  private static boolean dropWarned;

  /**
   * Before a measured phase: writes back and drops the page cache, when this process may (root). On
   * the development VM a 0.5 MB buffered write cost 1.6 ms of kernel CPU with the page cache full
   * of earlier runs' files and 0.5 ms after dropping it, which swung the figures by 2x from run to
   * run.
   */
  static void dropPageCache() {
    try {
      exec(List.of("sync"));
      Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
    } catch (Exception e) {
      if (!dropWarned) {
        dropWarned = true;
        System.out.println(
            "  (page cache not dropped before phases: "
                + e.getMessage()
                + "; figures depend on its state)");
      }
    }
  }

  /**
   * Orthanc for the comparison, or null with {@code -Dbench.orthanc=false} (nodes only, for quick
   * before/after).
   */
  static Orthanc startOrthancUnlessOff(Path dir) throws Exception {
    return "false".equals(System.getProperty("bench.orthanc")) ? null : startOrthanc(dir);
  }

  /** One measured phase of a round: into a node, or into Orthanc when {@code node} is null. */
  @FunctionalInterface
  interface Phase {
    String run(Node node, int round, String roundLabel) throws Exception;
  }

  /**
   * {@code -Dbench.rounds} (default 3) rounds of the phases, each phase into every node with every
   * upload backlog empty first, and in round 1 only into Orthanc too (native code: nothing to
   * warm). Rounds, because a phase of a few seconds lands on whatever the JIT compilers are doing:
   * methods called once per instance reach C2 only after thousands of calls, so round 1 still runs
   * partly in profiled C1 code and the later rounds show the steady state of a node that has been
   * receiving for a while.
   */
  static void rounds(
      int rounds,
      List<Node> nodes,
      boolean withOrthanc,
      boolean deferUpload,
      List<String> results,
      List<Phase> phases)
      throws Exception {
    for (int r = 1; r <= rounds; r++) {
      String label = rounds > 1 ? " (round " + r + ")" : "";
      for (Phase phase : phases) {
        for (Node node : nodes) {
          awaitUploads(nodes, deferUpload);
          results.add(phase.run(node, r, label));
        }
        if (withOrthanc && r == 1) {
          awaitUploads(nodes, deferUpload);
          results.add(phase.run(null, r, label));
        }
      }
    }
  }

  /**
   * Lets every node's Blob upload catch up, and says how long each took: before a measured phase,
   * so that neither the node measured nor another one (and Azurite with it) is still uploading an
   * earlier phase.
   */
  static void awaitUploads(List<Node> nodes, boolean deferUpload) throws Exception {
    if (!deferUpload) {
      for (Node node : nodes) {
        double seconds = node.awaitUploads();
        System.out.printf(
            "  %-44s Blob uploads caught up %.1f s later; %s%n",
            node.label(), seconds, node.objects());
      }
    }
  }

  /** Stops the nodes and Orthanc (null if it never started). */
  static void stopAll(List<Node> nodes, Orthanc orthanc) throws InterruptedException {
    for (Node node : nodes) {
      node.close();
    }
    if (orthanc != null) {
      orthanc.close();
    }
  }

  /** Prints the run's figures again under a title naming what was measured and the load. */
  static void report(String title, List<String> results, Path work) {
    System.out.println();
    System.out.println(title + ", load " + loadAverage() + ":");
    results.forEach(System.out::println);
    System.out.printf("(work dir %s can be deleted)%n", work);
  }

  /**
   * CPU seconds a process has used, in user space and in the kernel on its behalf, and in total per
   * thread group (threads named alike, e.g. all {@code executor-thread-N}).
   */
  record Cpu(double user, double system, Map<String, Double> byThread) {
    static final Cpu UNKNOWN = new Cpu(Double.NaN, Double.NaN, Map.of());

    Cpu minus(Cpu earlier) {
      Map<String, Double> threads = new TreeMap<>(byThread);
      earlier.byThread.forEach((name, seconds) -> threads.merge(name, -seconds, Double::sum));
      return new Cpu(user - earlier.user, system - earlier.system, threads);
    }

    double total() {
      return user + system;
    }
  }

  /**
   * The CPU a process (null: none) has used so far (Linux /proc/<pid>/stat and task/<tid>/stat,
   * clock ticks of 1/100 s). A thread that ended during a phase drops out of its group, so groups
   * may not add up.
   */
  static Cpu cpu(Process p) {
    if (p == null) {
      return Cpu.UNKNOWN;
    }
    try {
      long[] process = ticks(Path.of("/proc/" + p.pid() + "/stat"));
      Map<String, Double> threads = new TreeMap<>();
      try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
        for (Path task : tasks.toList()) {
          try {
            String name =
                Files.readString(task.resolve("comm")).trim().replaceAll("[-# ]?\\d+$", "");
            long[] t = ticks(task.resolve("stat"));
            threads.merge(name, (t[0] + t[1]) / 100.0, Double::sum);
          } catch (IOException | RuntimeException e) {
            // the thread ended meanwhile
          }
        }
      }
      return new Cpu(process[0] / 100.0, process[1] / 100.0, threads);
    } catch (IOException | RuntimeException e) {
      return Cpu.UNKNOWN;
    }
  }

  /** The whole machine's busy and total clock ticks so far (/proc/stat), summed over its cores. */
  static long[] machine() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /**
   * How busy the machine was between two {@link #machine()} readings, and how much of it was this
   * JVM (the benchmark's client): tells a phase bound by CPU from one bound by waiting (fsync,
   * locks, the network).
   */
  static String machineLine(long[] before, long[] after, Cpu clientBefore) {
    double busy = after[0] - before[0];
    double total = after[1] - before[1];
    if (total <= 0) {
      return "";
    }
    int cores = Runtime.getRuntime().availableProcessors();
    Cpu client = self().minus(clientBefore);
    double seconds = total / 100.0 / cores;
    return String.format(
        Locale.ROOT,
        "%n      machine %.0f %% busy of %d cores; the benchmark's client %.0f %% of a core",
        100 * busy / total,
        cores,
        100 * client.total() / seconds);
  }

  /** This JVM's CPU so far. */
  static Cpu self() {
    try {
      long[] t = ticks(Path.of("/proc/self/stat"));
      return new Cpu(t[0] / 100.0, t[1] / 100.0, Map.of());
    } catch (IOException | RuntimeException e) {
      return Cpu.UNKNOWN;
    }
  }

  /**
   * utime and stime of a stat(5) file: fields 14 and 15, that is 12 and 13 after the command name.
   */
  private static long[] ticks(Path stat) throws IOException {
    String text = Files.readString(stat);
    String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /**
   * Seconds of CPU the machine's PostgreSQL processes (server and backends) have used so far. The
   * node keeps its index there, Orthanc its own in-process (SQLite, inside Orthanc's figure): read
   * around the node's phase, this is the part of the node's cost the node's own process does not
   * show. Backends that ended meanwhile drop out; the node's pool keeps its connections open.
   */
  static double postgresCpu() {
    double seconds = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.toList()) {
        if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          if (Files.readString(proc.resolve("comm")).trim().equals("postgres")) {
            long[] t = ticks(proc.resolve("stat"));
            seconds += (t[0] + t[1]) / 100.0;
          }
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return seconds;
  }

  /** The 1-minute load average, to print beside a figure. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static String figure(String label, int instances, double seconds, long bytesEach, Cpu used) {
    String cpu =
        Double.isNaN(used.total())
            ? ""
            : String.format(
                Locale.ROOT,
                ", server CPU %5.2f ms/instance (%2.0f %% kernel)",
                used.total() * 1000 / instances,
                100 * used.system() / used.total());
    StringBuilder threads = new StringBuilder();
    used.byThread().entrySet().stream()
        .filter(e -> e.getValue() * 1000 / instances >= 0.1)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(8)
        .forEach(
            e ->
                threads.append(
                    String.format(
                        Locale.ROOT,
                        "%s%s %.1f",
                        threads.length() == 0 ? "" : ", ",
                        e.getKey(),
                        e.getValue() * 1000 / instances)));
    return String.format(
        Locale.ROOT,
        "  %-44s %5d instances in %6.2f s = %7.1f instances/s (%6.1f MB/s)%s%s",
        label,
        instances,
        seconds,
        instances / seconds,
        instances * (double) bytesEach / seconds / 1e6,
        cpu,
        threads.length() == 0 ? "" : "\n      by thread, ms/instance: " + threads);
  }

  static void waitFor(String url, Process process) throws Exception {
    long deadline =
        System.currentTimeMillis() + 300_000; // a hub under load 20+ took over 2 minutes
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(url + ": process exited with " + process.exitValue());
      }
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() < 500) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(url + " did not come up");
  }

  static void waitForPort(int port, Process process) throws Exception {
    for (int i = 0; i < 400; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "port " + port + ": process exited with " + process.exitValue());
      }
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("nothing listens on " + port);
  }

  static String exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + out);
    }
    return out.trim();
  }

  static String query(String database, String sql) throws Exception {
    return exec(List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void stop(Process p) throws InterruptedException {
    if (p != null && p.isAlive()) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
