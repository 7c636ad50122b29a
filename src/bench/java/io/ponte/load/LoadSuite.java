package io.ponte.load;

import io.ponte.faults.FaultKit;
import io.ponte.faults.Processes;
import io.ponte.testing.FreePorts;
import io.ponte.testing.HubRegistry;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The load suite: a hub and two nodes of the packaged application (as {@code ponte.sh up} runs
 * them: -Xmx1g, demo profile, Blob upload to Azurite, each node publishing to the hub 5 s after a
 * study's last instance), on databases and Blob containers of the run's own, loopback only. For the
 * duration both nodes ingest generated CT at full speed by C-STORE while simulated clinicians
 * search and retrieve through the hub; the heap of each process after a full GC is sampled every 30
 * s. Prints per operation count, errors, p50/p95/p99; ingest rates; the heap samples with a flat /
 * not-flat verdict. Exit 0 only with zero errors and every heap flat. Run by {@code
 * src/main/scripts/ponte.sh load [--minutes N] [--clinicians N]} (docs/operations.md, "Load
 * suite").
 */
public final class LoadSuite {

  private static final int SEED_STUDIES_PER_NODE = 5;
  private static final int SEED_INSTANCES = 4;
  private static final long SAMPLE_MILLIS = 30_000;

  public static void main(String[] args) throws Exception {
    double minutes = 5;
    int clinicians = 20;
    int associations = 2;
    int perStudy = 50;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(args[++i]);
        case "--clinicians" -> clinicians = Integer.parseInt(args[++i]);
        case "--associations" -> associations = Integer.parseInt(args[++i]);
        case "--instances-per-study" -> perStudy = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: load [--minutes N] [--clinicians N] [--associations N per node]"
                  + " [--instances-per-study N]");
          System.exit(2);
        }
      }
    }
    Processes.suite("load");
    Path work = Files.createTempDirectory("ponte-load-");
    System.out.printf(
        Locale.ROOT,
        "Ponte load suite, run %s, %s, %d cores, load average %s%n"
            + "  %.1f min, %d clinicians, per node %d storescu associations, studies of %d x 0.5 MB"
            + " CT%n",
        Processes.RUN,
        Instant.now(),
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        minutes,
        clinicians,
        associations,
        perStudy);
    boolean pass;
    List<PonteProcess> started = new ArrayList<>();
    try {
      pass = run(work, minutes, clinicians, associations, perStudy, started);
    } finally {
      started.forEach(Processes::quietly);
      Processes.cleanUp();
      delete(work);
    }
    System.out.println(pass ? "PASS" : "FAIL");
    System.exit(pass ? 0 : 1);
  }

  private static boolean run(
      Path work,
      double minutes,
      int clinicians,
      int associations,
      int perStudy,
      List<PonteProcess> started)
      throws Exception {
    int hubPort = FreePorts.next();
    String[] sites = {"hospital-a", "hospital-b"};
    int[] nodePorts = {FreePorts.next(), FreePorts.next()};
    int[] dimsePorts = {FreePorts.next(), FreePorts.next()};
    long t0 = System.nanoTime();
    PonteProcess.Builder hubBuilder =
        PonteProcess.hub(Processes.database("hub")).port(hubPort).jvmOption("-Xmx1g");
    for (int i = 0; i < sites.length; i++) {
      hubBuilder.property(
          "ponte.hub.federation.node-url." + sites[i], "http://127.0.0.1:" + nodePorts[i]);
    }
    PonteProcess hub = hubBuilder.start();
    started.add(hub);
    List<PonteProcess> nodes = new ArrayList<>();
    for (int i = 0; i < sites.length; i++) {
      PonteProcess node =
          Processes.node(
                  sites[i],
                  Processes.database("node_" + sites[i].substring(9)),
                  work.resolve("cache-" + sites[i]),
                  dimsePorts[i],
                  Processes.container(sites[i]))
              .port(nodePorts[i])
              .jvmOption("-Xmx1g")
              .env("PONTE_HUB_URL", hub.baseUrl())
              // As ponte.sh up: publishing on, 5 s after a study's last instance; the upload
              // worker's default interval (Processes.node shortens it for the fault scenarios).
              .property("ponte.node.publish.enabled", "true")
              .property("ponte.node.publish.quiet-period", "5s")
              .property("ponte.node.storage.upload-interval", "5s")
              .start();
      started.add(node);
      nodes.add(node);
    }
    System.out.printf(
        Locale.ROOT,
        "hub %s, nodes %s and %s: ready in %.0f s; logs in target/it-logs/%n",
        hub.baseUrl(),
        nodes.get(0).baseUrl(),
        nodes.get(1).baseUrl(),
        (System.nanoTime() - t0) / 1e9);

    // The studies the clinicians look for: a few per node, published before the load starts.
    List<LoadCt.Study> seeds = new ArrayList<>();
    Latencies seeding = new Latencies();
    for (int i = 0; i < sites.length; i++) {
      String letter = sites[i].substring(9).toUpperCase(Locale.ROOT);
      LoadCt ct = new LoadCt(i);
      for (int s = 0; s < SEED_STUDIES_PER_NODE; s++) {
        Path dir = work.resolve("seed-" + letter + s);
        LoadCt.Study study =
            ct.study(
                dir,
                String.format(Locale.ROOT, "LOAD-%s-%03d", letter, s),
                "LOAD^" + letter + s,
                String.format(Locale.ROOT, "2019%02d%02d", i + 1, s + 1),
                SEED_INSTANCES);
        seeds.add(study);
        Ingest.sendOnce(dir, dimsePorts[i], seeding);
      }
    }
    if (seeding.errors() > 0) {
      seeding.table().forEach(System.out::println);
      throw new IllegalStateException("the seed studies were not all stored");
    }
    for (LoadCt.Study s : seeds) {
      HubRegistry.awaitPublished(
          hub, nodes.get(s.patientId().startsWith("LOAD-A") ? 0 : 1), s.uid(), s.sops().size());
    }
    System.out.printf(
        Locale.ROOT,
        "%d seed studies of %d instances published at the hub; load starts, %s%n",
        seeds.size(),
        SEED_INSTANCES,
        Instant.now());

    AtomicBoolean stop = new AtomicBoolean();
    Latencies latencies = new Latencies();
    HeapSampler heap = new HeapSampler();
    heap.watch("hub", hub);
    heap.watch(sites[0], nodes.get(0));
    heap.watch(sites[1], nodes.get(1));
    List<Thread> threads = new ArrayList<>();
    List<Ingest> ingests = new ArrayList<>();
    for (int i = 0; i < sites.length; i++) {
      Ingest ingest =
          new Ingest(
              sites[i],
              dimsePorts[i],
              associations,
              perStudy,
              work.resolve("ingest-" + sites[i]),
              stop,
              latencies);
      ingests.add(ingest);
      Thread t = new Thread(ingest, "ingest-" + sites[i]);
      t.start();
      threads.add(t);
    }
    for (int c = 0; c < clinicians; c++) {
      Clinician clinician =
          new Clinician(c, hub.baseUrl(), TestServices.REALM_URL, seeds, stop, latencies);
      Thread t = new Thread(clinician, "clinician-" + c);
      t.start();
      threads.add(t);
    }
    long end = System.currentTimeMillis() + (long) (minutes * 60_000);
    long next = System.currentTimeMillis() + SAMPLE_MILLIS;
    while (System.currentTimeMillis() < end) {
      Thread.sleep(Math.max(0, Math.min(next, end) - System.currentTimeMillis()));
      if (System.currentTimeMillis() >= next) {
        heap.sample();
        next += SAMPLE_MILLIS;
        System.out.printf(
            Locale.ROOT,
            "  %s: %d errors so far, ingested %d + %d, load average %s%n",
            Instant.now(),
            latencies.errors(),
            ingests.get(0).acknowledged.get(),
            ingests.get(1).acknowledged.get(),
            loadAverage());
      }
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join(120_000);
    }

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Results (run %s, %.1f min, %d clinicians, load average at the end %s)%n",
        Processes.RUN,
        minutes,
        clinicians,
        loadAverage());
    latencies.table().forEach(System.out::println);
    long ingestFailed = 0;
    for (int i = 0; i < sites.length; i++) {
      Ingest in = ingests.get(i);
      long indexed =
          FaultKit.count(
              Processes.jdbc(Processes.database("node_" + sites[i].substring(9))),
              "select count(*) from instance");
      System.out.printf(
          Locale.ROOT,
          "  ingest %-10s %7d instances acknowledged in %.0f s = %6.1f/s (%5.1f MB/s), %d failed;"
              + " index holds %d (with %d seed)%n",
          sites[i],
          in.acknowledged.get(),
          in.seconds(),
          in.rate(),
          in.rate() * 0.525,
          in.failed.get(),
          indexed,
          SEED_STUDIES_PER_NODE * SEED_INSTANCES);
      ingestFailed += in.failed.get();
    }
    System.out.println(
        "  live heap after a full GC (jcmd GC.run, jvm_gc_live_data_size_bytes), MB, every 30 s:");
    heap.table().forEach(System.out::println);
    boolean pass = latencies.errors() == 0 && ingestFailed == 0 && heap.flat();
    System.out.printf(
        Locale.ROOT,
        "  errors %d, ingest failures %d, heap %s%n",
        latencies.errors(),
        ingestFailed,
        heap.flat() ? "flat" : "NOT flat (or not sampled)");
    return pass;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.out.println("left " + dir + ": " + e.getMessage());
    }
  }

  private LoadSuite() {}
}
