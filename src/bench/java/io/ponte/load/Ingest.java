package io.ponte.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One node's modality at full speed: study after study of generated CT, each sent by {@code
 * associations} storescu processes at once (dcmtk, {@code TCP_NODELAY=1}, one association each, the
 * study's files split between them), with no pause between studies. The files of a study are
 * deleted once sent, so the senders' disk use stays bounded whatever the duration.
 */
final class Ingest implements Runnable {

  private final String site;
  private final int dimsePort;
  private final int associations;
  private final int perStudy;
  private final Path work;
  private final LoadCt generator;
  private final AtomicBoolean stop;
  private final Latencies latencies;
  final AtomicLong acknowledged = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  private volatile double seconds;

  Ingest(
      String site,
      int dimsePort,
      int associations,
      int perStudy,
      Path work,
      AtomicBoolean stop,
      Latencies latencies) {
    this.site = site;
    this.dimsePort = dimsePort;
    this.associations = associations;
    this.perStudy = perStudy;
    this.work = work;
    this.generator = new LoadCt(site.hashCode());
    this.stop = stop;
    this.latencies = latencies;
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    String letter = site.substring(site.length() - 1).toUpperCase(Locale.ROOT);
    for (int n = 0; !stop.get(); n++) {
      Path batch = work.resolve("batch-" + n);
      try {
        // 20 patients per node, a study each time: the hub's identity matching sees returning
        // patients, as it would from a real hospital, not a new person per study.
        String patient = String.format(Locale.ROOT, "LOADI-%s-%02d", letter, n % 20);
        generator.study(batch, patient, "LOADI^" + letter + (n % 20), "20260115", perStudy);
        send(batch);
      } catch (IOException | RuntimeException e) {
        failed.incrementAndGet();
        latencies.error("c-store-study " + site, 0, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        delete(batch);
      }
    }
    seconds = (System.nanoTime() - start) / 1e9;
  }

  /** Sends the files of {@code dir} by one storescu association; failures go to latencies. */
  static void sendOnce(Path dir, int dimsePort, Latencies latencies)
      throws IOException, InterruptedException {
    new Ingest("seed", dimsePort, 1, 0, dir, new AtomicBoolean(), latencies).send(dir);
  }

  /** The study's files in {@code associations} shards, each sent by its own storescu. */
  private void send(Path batch) throws IOException, InterruptedException {
    List<Path> files;
    try (Stream<Path> list = Files.list(batch)) {
      files = list.sorted().toList();
    }
    List<Path> shards = new ArrayList<>();
    for (int i = 0; i < associations; i++) {
      shards.add(Files.createDirectories(batch.resolve("shard" + i)));
    }
    for (int i = 0; i < files.size(); i++) {
      Files.move(files.get(i), shards.get(i % associations).resolve(files.get(i).getFileName()));
    }
    long t0 = System.nanoTime();
    List<Process> senders = new ArrayList<>();
    for (Path shard : shards) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "storescu",
                  "-aet",
                  "LOAD_PACS",
                  "-aec",
                  "PONTE",
                  "+sd",
                  "127.0.0.1",
                  Integer.toString(dimsePort),
                  shard.toString())
              .redirectErrorStream(true)
              .redirectOutput(batch.resolve(shard.getFileName() + ".log").toFile());
      pb.environment().put("TCP_NODELAY", "1");
      senders.add(pb.start());
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < senders.size(); i++) {
      Process p = senders.get(i);
      int exit = p.waitFor();
      long inShard;
      try (Stream<Path> list = Files.list(shards.get(i))) {
        inShard = list.count();
      }
      // storescu reports a refused or failed store as an "E:" line and goes on with the next file.
      List<String> errors =
          Files.readAllLines(batch.resolve("shard" + i + ".log")).stream()
              .filter(l -> l.startsWith("E:"))
              .toList();
      long bad = exit != 0 ? Math.max(errors.size(), 1) : errors.size();
      bad = Math.min(bad, inShard);
      acknowledged.addAndGet(inShard - bad);
      failed.addAndGet(bad);
      if (bad > 0) {
        problems.add(
            "storescu exit " + exit + ": " + String.join(" | ", errors.stream().limit(3).toList()));
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (problems.isEmpty()) {
      latencies.ok("c-store-study " + site, ms);
    } else {
      latencies.error("c-store-study " + site, ms, String.join("; ", problems));
    }
  }

  double rate() {
    return seconds > 0 ? acknowledged.get() / seconds : 0;
  }

  double seconds() {
    return seconds;
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // nothing was written
    }
  }
}
