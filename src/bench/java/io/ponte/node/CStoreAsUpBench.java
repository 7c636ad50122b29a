package io.ponte.node;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * C-STORE into the node as {@code ponte.sh up} runs it, beside Orthanc, in the same run and with
 * the same files: the node with up's JVM options (-Xmx1g, profile demo, INFO logging), its Blob
 * upload running to Azurite and its publisher sending each study to a running hub (quiet period 5
 * s, as up sets it); Orthanc from Debian with {@code TCP_NODELAY=1}, as the node. Both receive the
 * same files from four storescu associations ({@code TCP_NODELAY=1}). {@link CStoreNodeIngestBench}
 * measures the node alone, warmed and with its backlog controlled; this one measures what a user of
 * the README gets.
 *
 * <pre>
 *   mvn -B -o -q package -DskipTests
 *   javac -d target/node-bench src/bench/java/io/ponte/node/*.java
 *   java -cp target/node-bench io.ponte.node.CStoreAsUpBench [instances=2000] [rounds=2]
 * </pre>
 *
 * Round 1 is the node cold (just started, as after {@code up}), the next rounds warm; each round
 * sends fresh instances (studies of 50) to the node and then the same files to Orthanc. Before each
 * phase the page cache is dropped (as root) and the node's upload and publication backlog is empty;
 * after the node's phase the benchmark waits until every instance is in Blob and every study
 * registered at the hub, and gives the node's CPU for that too. {@code -Dbench.jvmArgs=...} adds
 * options to the node (e.g. a JFR recording), {@code -Dbench.java=/path/to/bin/java} runs the node
 * on another JVM, {@code -Dbench.jar=/path/to/quarkus-run.jar} the node of another build. At the
 * end a table gives, per round, both rates, their ratio, the node's and Orthanc's CPU per instance,
 * PostgreSQL's during the node's phase (the node's index; Orthanc's SQLite is inside its own
 * figure) and the load average before and after, and a line how long the node took to become ready
 * and how much CPU that took (what a start-up change would move there).
 */
public final class CStoreAsUpBench {

  private static final int PER_STUDY = 50;
  private static final int ASSOCIATIONS = 4;

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path work = Files.createTempDirectory("ponte-cstore-as-up");
    System.out.printf("work dir %s, load %s%n", work, NodeBench.loadAverage());
    List<List<Path>> sets = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      sets.add(
          CStoreNodeIngestBench.shard(
              NodeBench.generate(work.resolve("set-" + r), count, PER_STUDY, 300 + r),
              ASSOCIATIONS,
              work.resolve("shards-" + r)));
    }
    long bytes = Files.size(Files.list(sets.get(0).get(0)).findFirst().orElseThrow());
    List<String> results = new ArrayList<>();
    List<String> summary = new ArrayList<>();
    List<String> blobSummary = new ArrayList<>();
    String started = "node did not start";
    Process hub = null;
    Process node = null;
    NodeBench.Orthanc orthanc = null;
    String hubDb = "ponte_hub_asup_bench";
    String nodeDb = "ponte_node_asup_bench";
    String container = "ponte-bench-asup-" + ProcessHandle.current().pid();
    try {
      orthanc = NodeBench.startOrthanc(work.resolve("orthanc"));
      int hubPort = NodeBench.freePort();
      int nodePort = NodeBench.freePort();
      int nodeDicom = NodeBench.freePort();
      hub = startHub(work.resolve("hub"), hubDb, hubPort, nodePort);
      long starting = System.nanoTime();
      node = startNode(work.resolve("node"), nodeDb, nodePort, nodeDicom, hubPort, container);
      started =
          String.format(
              Locale.ROOT,
              "node ready (health and DIMSE port) %.1f s after its start, having used %.1f s of CPU",
              (System.nanoTime() - starting) / 1e9,
              NodeBench.cpu(node).total());
      System.out.println(started);
      for (int r = 1; r <= rounds; r++) {
        String label = r == 1 ? "cold" : "warm, round " + r;
        String loadBefore = NodeBench.loadAverage();
        List<Path> shards = sets.get(r - 1);
        awaitBacklog(nodeDb, hubDb, r - 1, count / PER_STUDY);
        NodeBench.Cpu hub0 = NodeBench.cpu(hub);
        NodeBench.Cpu node0 = NodeBench.cpu(node);
        double postgres0 = NodeBench.postgresCpu();
        results.add(
            CStoreNodeIngestBench.send(
                "node as up runs it (" + label + ")", nodeDicom, "PONTE", shards, count, node));
        CStoreNodeIngestBench.Measured nodeRate = CStoreNodeIngestBench.last;
        double postgresMs = (NodeBench.postgresCpu() - postgres0) * 1000 / count;
        NodeBench.Cpu hubPhase = NodeBench.cpu(hub).minus(hub0);
        Drained drained = awaitBacklog(nodeDb, hubDb, r, count / PER_STUDY);
        NodeBench.Cpu nodeAll = NodeBench.cpu(node).minus(node0);
        NodeBench.Cpu hubAll = NodeBench.cpu(hub).minus(hub0);
        double ingestSeconds = count / nodeRate.perSecond();
        String objects = NodeBench.query(nodeDb, OBJECTS);
        results.add(
            String.format(
                Locale.ROOT,
                "      PostgreSQL %.2f ms/instance during the phase (the node's index);"
                    + " then every instance in Blob %.1f s later (%.2f x the ingest time of %.1f s;"
                    + " Blob objects now %s), every study at the hub %.1f s later;"
                    + " node CPU with that %.2f ms/instance; hub CPU %.2f ms/instance during the"
                    + " phase, %.2f with the publications",
                postgresMs,
                drained.blobSeconds(),
                drained.blobSeconds() / ingestSeconds,
                ingestSeconds,
                objects.replace('|', '/'),
                drained.allSeconds(),
                nodeAll.total() * 1000 / count,
                hubPhase.total() * 1000 / count,
                hubAll.total() * 1000 / count));
        blobSummary.add(
            String.format(
                Locale.ROOT,
                "| %d | %.1f | %.1f | **%.2f** | %s |",
                r,
                ingestSeconds,
                drained.blobSeconds(),
                drained.blobSeconds() / ingestSeconds,
                objects.replace("|", " | ")));
        System.out.println(results.get(results.size() - 1));
        results.add(
            CStoreNodeIngestBench.send(
                "Orthanc, same files (" + label + ")",
                orthanc.dicomPort(),
                "ORTHANC",
                shards,
                count,
                orthanc.process()));
        CStoreNodeIngestBench.Measured orthancRate = CStoreNodeIngestBench.last;
        summary.add(
            String.format(
                Locale.ROOT,
                "| %d, %s | %.1f | %.1f | **%.2f** | %.2f | %.2f | %.2f | %.2f | %s → %s |",
                r,
                r == 1 ? "cold" : "warm",
                nodeRate.perSecond(),
                orthancRate.perSecond(),
                nodeRate.perSecond() / orthancRate.perSecond(),
                nodeRate.cpuMsPerInstance(),
                postgresMs,
                nodeAll.total() * 1000 / count,
                orthancRate.cpuMsPerInstance(),
                loadBefore,
                NodeBench.loadAverage()));
      }
    } finally {
      NodeBench.stop(node);
      NodeBench.stop(hub);
      if (orthanc != null) {
        orthanc.close();
      }
      deleteContainer(container);
      for (String db : List.of(hubDb, nodeDb)) {
        NodeBench.query("postgres", "drop database if exists " + db + " with (force)");
      }
    }
    NodeBench.report(
        String.format(
            Locale.ROOT,
            "C-STORE as ponte.sh up runs the node (Blob upload and publishing to a hub running),"
                + " %d x %d KB CT, %d storescu associations (order: %s), beside Orthanc, %d cores",
            count,
            bytes >> 10,
            ASSOCIATIONS,
            System.getProperty("bench.order", "directory"),
            Runtime.getRuntime().availableProcessors()),
        results,
        work);
    System.out.println();
    System.out.println(
        "| round | node /s | Orthanc /s | node ÷ Orthanc | node CPU ms/instance | its PostgreSQL"
            + " | node with its backlog | Orthanc CPU ms/instance (its SQLite in it)"
            + " | load average (1, 5, 15 min) before → after |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    summary.forEach(System.out::println);
    System.out.println();
    System.out.println(
        "| round | ingest s | Blob backlog drained after s | drain ÷ ingest | Blob objects |"
            + " instances in packs | packs |");
    System.out.println("|---|---|---|---|---|---|---|");
    blobSummary.forEach(System.out::println);
    System.out.println(started);
    System.out.printf(
        "node JVM: %s -Xmx1g %s%n",
        System.getProperty("bench.java", "java"), System.getProperty("bench.jvmArgs", ""));
  }

  /**
   * Objects the node's index points at in Blob (packs and instances of their own), instances in
   * packs, and packs: after a drained backlog, what the container holds.
   */
  private static final String OBJECTS =
      "select count(distinct blob_name) || '|' || count(*) filter (where pack_offset is not null)"
          + " || '|' || count(distinct blob_name) filter (where pack_offset is not null)"
          + " from instance where blob_state = 'UPLOADED'";

  /** Seconds until no instance waited for Blob, and until the publications were in too. */
  record Drained(double blobSeconds, double allSeconds) {}

  /**
   * Waits until the node holds no instance waiting for Blob and no unsent publication, and the hub
   * has registered {@code rounds * studies} studies; returns the seconds waited for each.
   */
  private static Drained awaitBacklog(String nodeDb, String hubDb, int rounds, int studies)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MINUTES.toNanos(15);
    String pending = "select count(*) from instance where blob_state = 'PENDING'";
    String unsent = "select count(*) from publication_outbox where sent_at is null";
    double blob = -1;
    while (System.nanoTime() < deadline) {
      if (blob < 0 && NodeBench.query(nodeDb, pending).equals("0")) {
        blob = (System.nanoTime() - start) / 1e9;
      }
      if (blob >= 0
          && NodeBench.query(nodeDb, unsent).equals("0")
          && Integer.parseInt(NodeBench.query(hubDb, "select count(*) from imaging_study"))
              >= rounds * studies) {
        return new Drained(blob, (System.nanoTime() - start) / 1e9);
      }
      Thread.sleep(blob < 0 ? 100 : 250);
    }
    throw new IllegalStateException("node backlog or hub registry not caught up in 15 minutes");
  }

  private static void recreate(String db) throws Exception {
    NodeBench.query("postgres", "drop database if exists " + db + " with (force)");
    NodeBench.query("postgres", "create database " + db);
  }

  /** The hub as ponte.sh's start_app starts it (DIMSE on a free port, not 11110). */
  private static Process startHub(Path dir, String db, int port, int nodePort) throws Exception {
    recreate(db);
    Files.createDirectories(dir);
    Map<String, String> env =
        Map.of(
            "PONTE_HUB_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + db,
            "PONTE_OIDC_CLIENT_ID", "ponte-hub",
            "PONTE_OIDC_SECRET", "ponte-hub-secret",
            "PONTE_HUB_DIMSE_PORT", Integer.toString(NodeBench.freePort()),
            "PONTE_HUB_DIMSE_BIND_ADDRESS", "127.0.0.1");
    // -Dbench.hubJvmArgs=... adds to the hub's JVM, e.g. a flight recording of the publications.
    String hubExtra = System.getProperty("bench.hubJvmArgs", "").trim();
    Process p =
        start(
            dir,
            port,
            env,
            List.of("-Dponte.hub.federation.node-url.hospital-a=http://127.0.0.1:" + nodePort),
            List.of("--role", "hub"),
            hubExtra.isEmpty() ? List.of() : List.of(hubExtra.split("\\s+")));
    awaitReady(p, port, -1);
    return p;
  }

  /**
   * The node as ponte.sh's start_app starts node-a, but on a database, cache and Blob container of
   * the benchmark's own.
   */
  private static Process startNode(
      Path dir, String db, int port, int dicom, int hubPort, String container) throws Exception {
    recreate(db);
    Files.createDirectories(dir);
    Map<String, String> env =
        Map.of(
            "PONTE_NODE_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/" + db,
            "PONTE_OIDC_CLIENT_ID",
            "ponte-node-hospital-a",
            "PONTE_OIDC_SECRET",
            "ponte-node-hospital-a-secret",
            "PONTE_NODE_DIMSE_PORT",
            Integer.toString(dicom),
            "PONTE_HUB_URL",
            "http://127.0.0.1:" + hubPort,
            "PONTE_NODE_STORAGE_BLOB_CONNECTION_STRING",
            AZURITE,
            "PONTE_NODE_CACHE_DIR",
            dir.resolve("cache").toString(),
            "PONTE_NODE_PUBLISH_QUIET_PERIOD",
            "5s");
    String extra = System.getProperty("bench.jvmArgs", "").trim();
    Process p =
        start(
            dir,
            port,
            env,
            List.of("-Dponte.node.storage.blob-container=" + container),
            List.of("--role", "node", "--site", "hospital-a"),
            extra.isEmpty() ? List.of() : List.of(extra.split("\\s+")));
    awaitReady(p, port, dicom);
    return p;
  }

  /**
   * Waits for readiness (and the DIMSE port, unless negative); a process that does not get there is
   * stopped, not left running after the benchmark gives up.
   */
  private static void awaitReady(Process p, int port, int dicom) throws Exception {
    try {
      NodeBench.waitFor("http://127.0.0.1:" + port + "/q/health/ready", p);
      if (dicom >= 0) {
        NodeBench.waitForPort(dicom, p);
      }
    } catch (Exception e) {
      NodeBench.stop(p);
      throw e;
    }
  }

  private static Process start(
      Path dir,
      int port,
      Map<String, String> roleEnv,
      List<String> properties,
      List<String> serve,
      List<String> jvmArgs)
      throws Exception {
    // ponte.sh's PONTE_JAVA and PONTE_JAVA_OPTS; -Dbench.java runs the node on another JVM.
    String java = serve.contains("node") ? System.getProperty("bench.java", "java") : "java";
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g"));
    cmd.addAll(jvmArgs);
    cmd.addAll(properties);
    // -Dbench.jar runs the node (not the hub) from another build, e.g. the one before a change.
    String jar =
        serve.contains("node")
            ? System.getProperty("bench.jar", NodeBench.DEFAULT_JAR.toString())
            : NodeBench.DEFAULT_JAR.toString();
    cmd.addAll(List.of("-jar", jar, "serve"));
    cmd.addAll(serve);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("process.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("QUARKUS_PROFILE", "demo");
    env.put("PONTE_HTTP_PORT", Integer.toString(port));
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("PONTE_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("PONTE_OIDC_URL", "http://127.0.0.1:8180/realms/ponte");
    env.putAll(roleEnv);
    return pb.start();
  }

  /**
   * Deletes the run's Blob container at Azurite (a gigabyte per round otherwise stays on the
   * machine): one REST call signed with the account key (Shared Key, path-style URL), JDK only.
   */
  static void deleteContainer(String container) {
    try {
      String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
      String version = "2021-08-06";
      String toSign =
          "DELETE\n\n\n\n\n\n\n\n\n\n\n\n"
              + "x-ms-date:"
              + date
              + "\nx-ms-version:"
              + version
              + "\n"
              + "/"
              + ACCOUNT
              + "/"
              + ACCOUNT
              + "/"
              + container
              + "\nrestype:container";
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), "HmacSHA256"));
      String signature =
          Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
      HttpResponse<Void> r =
          NodeBench.HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:10000/"
                              + ACCOUNT
                              + "/"
                              + container
                              + "?restype=container"))
                  .header("x-ms-date", date)
                  .header("x-ms-version", version)
                  .header("Authorization", "SharedKey " + ACCOUNT + ":" + signature)
                  .DELETE()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      System.out.printf("Blob container %s deleted: HTTP %d%n", container, r.statusCode());
    } catch (Exception e) {
      System.out.printf("Blob container %s left at Azurite: %s%n", container, e);
    }
  }

  private static final String ACCOUNT = "devstoreaccount1";
  private static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  // Azurite's well-known development account (public, documented by Microsoft), as ponte.sh.
  private static final String AZURITE =
      "DefaultEndpointsProtocol=http;AccountName="
          + ACCOUNT
          + ";AccountKey="
          + KEY
          + ";BlobEndpoint=http://127.0.0.1:10000/"
          + ACCOUNT
          + ";";

  private CStoreAsUpBench() {}
}
