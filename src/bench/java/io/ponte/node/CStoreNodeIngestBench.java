package io.ponte.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * C-STORE ingest through a whole running node (DIMSE SCP, then the node's durable store: spool,
 * SHA-256, fsync, index transaction, rename, directory fsync, then the response), beside Orthanc,
 * same files, same sender (dcmtk's storescu, TCP_NODELAY=1), same run. A benchmark, not a test: it
 * prints figures.
 *
 * <pre>
 *   mvn -B -o -q package -DskipTests
 *   javac -d target/node-bench src/bench/java/io/ponte/node/*.java
 *   java -cp target/node-bench io.ponte.node.CStoreNodeIngestBench [instancesPerPhase=400] [defer-upload]
 * </pre>
 *
 * Phases: one association, then four parallel associations (the phase's files split in four), fresh
 * instances per phase (one study of 50 instances after another), each phase to every node and then
 * to Orthanc. {@code -Dbench.nodes=before=...jar,after=...jar} interleaves two builds; {@code
 * -Dbench.jfr=true} records a JFR profile of each node ({@code node<n>/node.jfr}); {@code
 * -Dbench.orthanc=false} leaves Orthanc out; {@code -Dbench.warmup=N} (default 1000) instances warm
 * each node's JIT first; {@code -Dbench.rounds=N} (default 3) repeats the node phases with fresh
 * instances. The Blob upload worker runs (as in production) unless {@code defer-upload}. Each node
 * figure gives the node process's CPU time per instance.
 */
public final class CStoreNodeIngestBench {

  public static void main(String[] args) throws Exception {
    int perPhase = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    boolean deferUpload = List.of(args).contains("defer-upload");
    Path work = Files.createTempDirectory("ponte-cstore-node-bench");
    System.out.printf("work dir %s%n", work);
    List<Path> warm = NodeBench.generate(work.resolve("warm"), NodeBench.warmUpInstances(), 50, 11);
    int rounds = Integer.getInteger("bench.rounds", 3);
    long bytes = Files.size(warm.get(0));
    List<Path> one = new ArrayList<>();
    List<List<Path>> four = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      one.add(
          NodeBench.generate(work.resolve("one-" + r), perPhase, 50, 100 + r).get(0).getParent());
      four.add(
          shard(
              NodeBench.generate(work.resolve("four-" + r), perPhase, 50, 200 + r),
              4,
              work.resolve("shards-" + r)));
    }

    List<String> results = new ArrayList<>();
    List<NodeBench.Node> nodes = new ArrayList<>();
    NodeBench.Orthanc orthanc = null;
    try {
      orthanc = NodeBench.startOrthancUnlessOff(work.resolve("orthanc"));
      int n = 0;
      for (String[] jar : NodeBench.nodeJars()) {
        Path dir = work.resolve("node" + n);
        List<String> jvm =
            Boolean.getBoolean("bench.jfr")
                ? List.of(
                    "-XX:StartFlightRecording=filename="
                        + dir.resolve("node.jfr")
                        + ",settings=profile")
                : List.of();
        nodes.add(NodeBench.startNode(jar, dir, n, deferUpload, jvm));
        n++;
      }
      for (NodeBench.Node node : nodes) {
        send(
            "warm-up",
            node.dicomPort(),
            "PONTE",
            List.of(warm.get(0).getParent()),
            warm.size(),
            null);
      }
      if (orthanc != null) { // native code: the warm-up only settles its database and page cache
        Path some =
            NodeBench.generate(work.resolve("warm-orthanc"), 100, 50, 14).get(0).getParent();
        send("warm-up", orthanc.dicomPort(), "ORTHANC", List.of(some), 100, null);
      }

      NodeBench.Orthanc o = orthanc;
      NodeBench.Phase oneAssociation =
          (node, r, round) ->
              node == null
                  ? send(
                      "Orthanc, 1 association",
                      o.dicomPort(),
                      "ORTHANC",
                      List.of(one.get(r - 1)),
                      perPhase,
                      o.process())
                  : send(
                      node.label() + ", 1 association" + round,
                      node.dicomPort(),
                      "PONTE",
                      List.of(one.get(r - 1)),
                      perPhase,
                      node.process());
      NodeBench.Phase fourAssociations =
          (node, r, round) ->
              node == null
                  ? send(
                      "Orthanc, 4 associations",
                      o.dicomPort(),
                      "ORTHANC",
                      four.get(r - 1),
                      perPhase,
                      o.process())
                  : send(
                      node.label() + ", 4 associations" + round,
                      node.dicomPort(),
                      "PONTE",
                      four.get(r - 1),
                      perPhase,
                      node.process());
      NodeBench.rounds(
          rounds,
          nodes,
          orthanc != null,
          deferUpload,
          results,
          List.of(oneAssociation, fourAssociations));
    } finally {
      NodeBench.stopAll(nodes, orthanc);
    }
    NodeBench.report(
        String.format(
            "C-STORE ingest through the node, %d KB CT instances, %d cores, Blob upload %s",
            bytes >> 10,
            Runtime.getRuntime().availableProcessors(),
            deferUpload ? "deferred" : "running"),
        results,
        work);
  }

  /**
   * storescu, one process (association) per directory, all at once; the figure covers the slowest.
   */
  static String send(
      String label, int port, String calledAe, List<Path> dirs, int count, Process server)
      throws Exception {
    if (server != null) {
      NodeBench.dropPageCache();
    }
    NodeBench.Cpu cpu0 = NodeBench.cpu(server);
    long start = System.nanoTime();
    List<Process> senders = new ArrayList<>();
    for (Path dir : dirs) {
      List<String> command =
          new ArrayList<>(
              List.of("storescu", "-aet", "BENCH", "-aec", calledAe, "127.0.0.1", "" + port));
      command.addAll(inSendingOrder(dir));
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  dir.resolveSibling(dir.getFileName() + "-" + calledAe + ".log").toFile());
      pb.environment().put("TCP_NODELAY", "1");
      senders.add(pb.start());
    }
    for (Process p : senders) {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(label + ": storescu exit " + p.exitValue());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    NodeBench.Cpu cpu = NodeBench.cpu(server).minus(cpu0);
    String line =
        NodeBench.figure(
            label,
            count,
            seconds,
            Files.size(Files.list(dirs.get(0)).findFirst().orElseThrow()),
            cpu);
    System.out.println(line);
    last = new Measured(count / seconds, cpu.total() * 1000 / count);
    return line;
  }

  /**
   * What one association sends. {@code -Dbench.order=directory} (the default, and every run
   * recorded before 2026-12-06): {@code storescu +sd}, the directory's order, which on ext4 is its
   * hash order, so every study of the phase receives instances until the phase ends. {@code study}:
   * the files by name, which {@link NodeBench#generate} numbers study by study: studies complete
   * one after the other, as a modality sends a series and a PACS forwards a study.
   */
  private static List<String> inSendingOrder(Path dir) throws Exception {
    String order = System.getProperty("bench.order", "directory");
    switch (order) {
      case "directory":
        return List.of("+sd", dir.toString());
      case "study":
        try (var files = Files.list(dir)) {
          return files.map(Path::toString).sorted().toList();
        }
      default:
        throw new IllegalArgumentException("bench.order: directory or study, not " + order);
    }
  }

  /** The rate and server CPU per instance of the last {@link #send}, for summaries. */
  record Measured(double perSecond, double cpuMsPerInstance) {}

  static Measured last;

  /** Splits the files into n directories of symlinks (storescu +sd sends a directory). */
  static List<Path> shard(List<Path> files, int n, Path root) throws Exception {
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dirs.add(Files.createDirectories(root.resolve("shard" + i)));
    }
    for (int i = 0; i < files.size(); i++) {
      Files.createSymbolicLink(dirs.get(i % n).resolve(files.get(i).getFileName()), files.get(i));
    }
    return dirs;
  }
}
