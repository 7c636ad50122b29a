package io.ponte.node;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * STOW-RS ingest benchmark: Ponte's node beside Orthanc (DicomWeb plugin), same files, same client,
 * same run. A benchmark, not a test: it prints figures and never fails a build.
 *
 * <pre>
 *   mvn -B -o -q package -DskipTests          # builds target/quarkus-app
 *   javac -d target/node-bench src/bench/java/io/ponte/node/*.java
 *   java -cp target/node-bench io.ponte.node.StowIngestBench [instancesPerStreamPhase=200] [perRequest=50] [defer-upload]
 * </pre>
 *
 * {@code -Dbench.nodes=before=/tmp/before/quarkus-run.jar,after=target/quarkus-app/quarkus-run.jar}
 * measures two builds interleaved, phase by phase, in one run (each with its own database and
 * cache). By default the node's Blob upload worker runs during the phases, as in production (it
 * re-reads each instance and sends it to Azurite on the same machine); {@code defer-upload} parks
 * it, to measure ingest alone.
 *
 * <p>It generates 0.5 MB CT instances with dcmtk's dump2dcm (explicit VR little endian, 512 KiB of
 * pixels), starts the node(s) ({@link NodeBench#startNode}) and Orthanc, then POSTs
 * multipart/related bodies of {@code perRequest} instances, streamed from disk with a
 * Content-Length, first on one stream, then on four parallel streams, to each, in {@code
 * -Dbench.rounds} (default 3) rounds. Each phase sends fresh instances. Last, one request carrying
 * every instance of round 1 (hundreds of MB) goes to each node, whose heap is capped at 256 MB: it
 * only completes if the body is streamed rather than buffered. Each node figure gives the node
 * process's CPU time per instance. {@code -Dbench.warmup=N} (default 1000) instances warm each
 * node's JIT before anything is measured. Needs the shared services (PostgreSQL, Keycloak for the
 * ingest token, Azurite), dcmtk and Orthanc.
 */
public final class StowIngestBench {

  public static void main(String[] args) throws Exception {
    int perPhase = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int perRequest = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    boolean deferUpload = args.length > 2 && args[2].equals("defer-upload");
    Path work = Files.createTempDirectory("ponte-stow-bench");
    System.out.printf("work dir %s%n", work);

    int rounds = Integer.getInteger("bench.rounds", 3);
    List<List<Path>> single = new ArrayList<>();
    List<List<Path>> parallel = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      single.add(
          NodeBench.generate(work.resolve("one-stream-" + r), perPhase, perRequest, 100 + r));
      parallel.add(
          NodeBench.generate(work.resolve("four-streams-" + r), perPhase * 2, perRequest, 200 + r));
    }
    long bytes = Files.size(single.get(0).get(0));
    System.out.printf(
        "generated %d rounds of %d + %d CT instances of %d bytes (dump2dcm)%n",
        rounds, perPhase, perPhase * 2, bytes);

    List<String> results = new ArrayList<>();
    List<NodeBench.Node> nodes = new ArrayList<>();
    NodeBench.Orthanc orthanc = null;
    try {
      orthanc = NodeBench.startOrthancUnlessOff(work.resolve("orthanc"));
      String orthancUrl =
          orthanc == null ? null : "http://127.0.0.1:" + orthanc.httpPort() + "/dicom-web/studies";
      int n = 0;
      for (String[] jar : NodeBench.nodeJars()) {
        nodes.add(NodeBench.startNode(jar, work.resolve("node" + n), n, deferUpload, List.of()));
        n++;
      }
      String token = NodeBench.token();

      // Warm-up (JIT, connection pools, PostgreSQL/SQLite caches), not counted.
      List<Path> warm =
          NodeBench.generate(work.resolve("warm"), NodeBench.warmUpInstances(), perRequest, 3);
      for (NodeBench.Node node : nodes) {
        run("warm-up", url(node), token, warm, perRequest, 1, null);
      }
      if (orthanc != null) { // native code: the warm-up only settles its database and page cache
        run(
            "warm-up",
            orthancUrl,
            null,
            warm.subList(0, Math.min(warm.size(), perRequest * 2)),
            perRequest,
            1,
            null);
      }

      NodeBench.Orthanc o = orthanc;
      NodeBench.Phase oneStream =
          (node, r, round) ->
              node == null
                  ? run(
                      "Orthanc, 1 stream",
                      orthancUrl,
                      null,
                      single.get(0),
                      perRequest,
                      1,
                      o.process())
                  : run(
                      node.label() + ", 1 stream" + round,
                      url(node),
                      NodeBench.token(),
                      single.get(r - 1),
                      perRequest,
                      1,
                      node.process());
      NodeBench.Phase fourStreams =
          (node, r, round) ->
              node == null
                  ? run(
                      "Orthanc, 4 streams",
                      orthancUrl,
                      null,
                      parallel.get(0),
                      perRequest,
                      4,
                      o.process())
                  : run(
                      node.label() + ", 4 streams" + round,
                      url(node),
                      NodeBench.token(),
                      parallel.get(r - 1),
                      perRequest,
                      4,
                      node.process());
      NodeBench.rounds(
          rounds, nodes, orthanc != null, deferUpload, results, List.of(oneStream, fourStreams));

      // Streamed, not buffered: one request carrying every instance of round 1 into a 256 MB heap.
      List<Path> everything = new ArrayList<>(single.get(0));
      everything.addAll(parallel.get(0));
      long total = 0;
      for (Path p : everything) {
        total += Files.size(p);
      }
      for (NodeBench.Node node : nodes) {
        results.add(
            run(
                String.format(
                    Locale.ROOT, "%s, one %d MB request (resend)", node.label(), total >> 20),
                url(node),
                NodeBench.token(),
                everything,
                everything.size(),
                1,
                node.process()));
      }
    } finally {
      NodeBench.stopAll(nodes, orthanc);
    }
    NodeBench.report(
        String.format(
            "STOW-RS ingest, %d KB CT instances, %d per request, %d cores, Blob upload %s",
            bytes >> 10,
            perRequest,
            Runtime.getRuntime().availableProcessors(),
            deferUpload ? "deferred" : "running"),
        results,
        work);
  }

  private static String url(NodeBench.Node node) {
    return "http://127.0.0.1:" + node.httpPort() + "/dicomweb/studies";
  }

  /**
   * One phase: {@code streams} threads, each POSTing its share of the files in requests of
   * perRequest.
   */
  static String run(
      String label,
      String url,
      String token,
      List<Path> files,
      int perRequest,
      int streams,
      Process server)
      throws Exception {
    List<List<Path>> requests = new ArrayList<>();
    for (int i = 0; i < files.size(); i += perRequest) {
      requests.add(files.subList(i, Math.min(files.size(), i + perRequest)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    if (server != null) {
      NodeBench.dropPageCache();
    }
    NodeBench.Cpu cpu0 = NodeBench.cpu(server);
    NodeBench.Cpu client0 = NodeBench.self();
    long[] machine0 = NodeBench.machine();
    long start = System.nanoTime();
    List<Future<Integer>> futures = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      int stream = s;
      futures.add(
          pool.submit(
              () -> {
                int stored = 0;
                for (int r = stream; r < requests.size(); r += streams) {
                  stored += post(url, token, requests.get(r));
                }
                return stored;
              }));
    }
    int stored = 0;
    for (Future<Integer> f : futures) {
      stored += f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    NodeBench.Cpu cpu = NodeBench.cpu(server).minus(cpu0);
    String machine = NodeBench.machineLine(machine0, NodeBench.machine(), client0);
    pool.shutdown();
    String line = NodeBench.figure(label, stored, seconds, Files.size(files.get(0)), cpu) + machine;
    System.out.println(line);
    return line;
  }

  /**
   * POSTs one multipart/related body streamed from the files; returns how many instances it
   * carried.
   */
  static int post(String url, String token, List<Path> files) throws Exception {
    String boundary = "bench-" + Long.toHexString(new Random().nextLong());
    byte[] head =
        ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    long length = tail.length;
    for (Path f : files) {
      length += head.length + Files.size(f) + crlf.length;
    }
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(
                () -> {
                  List<InputStream> parts = new ArrayList<>();
                  for (Path f : files) {
                    parts.add(new ByteArrayInputStream(head));
                    parts.add(lazy(f));
                    parts.add(new ByteArrayInputStream(crlf));
                  }
                  parts.add(new ByteArrayInputStream(tail));
                  Enumeration<InputStream> e = Collections.enumeration(parts);
                  return new SequenceInputStream(e);
                }),
            length);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMinutes(10))
            .header(
                "Content-Type",
                "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
            .header("Accept", "application/dicom+json")
            .POST(body);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        NodeBench.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          url
              + " answered "
              + response.statusCode()
              + ": "
              + response.body().substring(0, Math.min(500, response.body().length())));
    }
    return files.size();
  }

  /**
   * Opens the file only when the sequence reaches it, so one request holds one open file at a time.
   */
  static InputStream lazy(Path file) {
    return new InputStream() {
      InputStream in;

      InputStream in() throws IOException {
        if (in == null) {
          in = Files.newInputStream(file);
        }
        return in;
      }

      @Override
      public int read() throws IOException {
        return in().read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return in().read(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (in != null) {
          in.close();
        }
      }
    };
  }
}
