package io.ponte.hub.dicomweb;

import io.ponte.testing.Tokens;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Frame and thumbnail latency through the hub (prints figures; never fails a build). Starts a real
 * node (-Xmx512m) and hub (-Xmx256m) from target/quarkus-app as {@link FederationBench} does, stows
 * {@code bench.instances} (default 100) 512×512×16-bit CT instances (dcmtk-written, Explicit VR
 * Little Endian) in one series, registers the study at the hub, then times one request at a time
 * with a clinician's token:
 *
 * <ol>
 *   <li>a frame: {@code GET .../instances/{sop}/frames/1} with {@code multipart/related;
 *       type="application/octet-stream"; transfer-syntax=*} (512 KiB body), through the hub and
 *       directly from the node (hub token), instances taken in turn;
 *   <li>a thumbnail: {@code GET .../instances/{sop}/thumbnail} ({@code image/jpeg}), the same way.
 * </ol>
 *
 * Each measure: {@code bench.warmup} (default 50) untimed requests, then {@code bench.requests}
 * (default 500) timed ones; p50, p95 and p99 printed, and the p50 and p95 of the time until the
 * response's head (what comes before the first byte). The four measures are repeated {@code
 * bench.rounds} times (default 8): round 1 is two just-started JVMs; the JITs were still compiling
 * in rounds 3-4 and frames settled from round 6 (5,500 requests at the hub), the steady state. With
 * {@code -Dbench.baselineHubJar=<other build>/target/quarkus-app/quarkus-run.jar} a second hub from
 * that build is measured in the same run, the three targets taking turns request by request. Run:
 * docs/performance.md ("Frames and thumbnails through the hub").
 */
public final class FrameBench {

  static final int INSTANCES = Integer.getInteger("bench.instances", 100);
  static final int WARMUP = Integer.getInteger("bench.warmup", 50);
  static final int REQUESTS = Integer.getInteger("bench.requests", 500);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 8);
  static final String FRAMES =
      "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";

  public static void main(String[] args) throws Exception {
    String run = Long.toString(System.currentTimeMillis() % 100000000L);
    String study = "2.25.7" + run;
    String series = study + ".1";
    try (BenchProcess node =
            BenchProcess.start(
                "node",
                "hospital-a",
                "ponte_node_bench",
                "512m",
                Map.of(
                    "ponte.node.storage.cache-dir",
                    "target/bench-node-cache",
                    "ponte.node.storage.blob-container",
                    "ponte-bench-" + run));
        BenchProcess hub =
            BenchProcess.start(
                "hub",
                null,
                "ponte_hub_bench",
                "256m",
                Map.of("ponte.hub.federation.node-url.hospital-a", node.url()));
        BenchProcess baseline = FederationBench.baselineHub(node)) {
      List<String> sops = stow(node, study, series);
      FederationBench.register(hub, study);
      String path = "/dicomweb/studies/" + study + "/series/" + series + "/instances/";
      System.out.println("load before runs: " + FederationBench.load());
      // Two fresh JVMs: the first rounds are mostly the JIT's (C1/C2 threads took half the hub's
      // CPU in round 1 when recorded), the later ones what a running federation answers.
      for (int round = 1; round <= ROUNDS; round++) {
        System.out.printf(
            "round %d of %d (each line after %d untimed requests of its own)%n",
            round, ROUNDS, WARMUP);
        // Per round: the run outlasts a token's five minutes (Tokens renews it).
        String clinician = Tokens.user("ana.clinic");
        String hubToken = Tokens.client("ponte-hub");
        if (baseline != null) {
          // Before/after under the same load: the two hubs and the node take turns, request by
          // request.
          interleaved(
              "frame    ",
              List.of(hub.url() + path, baseline.url() + path, node.url() + path),
              sops,
              "/frames/1",
              FRAMES,
              List.of(clinician, clinician, hubToken));
          interleaved(
              "thumbnail",
              List.of(hub.url() + path, baseline.url() + path, node.url() + path),
              sops,
              "/thumbnail",
              "image/jpeg",
              List.of(clinician, clinician, hubToken));
        } else {
          measure("frame     via hub ", hub.url() + path, sops, "/frames/1", FRAMES, clinician);
          measure("frame     direct  ", node.url() + path, sops, "/frames/1", FRAMES, hubToken);
          measure(
              "thumbnail via hub ", hub.url() + path, sops, "/thumbnail", "image/jpeg", clinician);
          measure(
              "thumbnail direct  ", node.url() + path, sops, "/thumbnail", "image/jpeg", hubToken);
        }
      }
      System.out.println("load after runs: " + FederationBench.load());
    }
  }

  /**
   * {@code INSTANCES} copies of one 512×512 CT, each with its own SOP Instance UID
   * (FederationBench's stow, which numbers them {@code series.100000} on).
   */
  static List<String> stow(BenchProcess node, String study, String series) throws Exception {
    FederationBench.stow(
        node.url() + "/dicomweb/studies",
        Tokens.client("hospital-a-ingest"),
        study,
        series,
        INSTANCES);
    List<String> sops = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      sops.add(series + "." + (100000 + i));
    }
    return sops;
  }

  static void measure(
      String what, String base, List<String> sops, String suffix, String accept, String token)
      throws Exception {
    long bytes = 0;
    for (int i = 0; i < WARMUP; i++) {
      bytes = get(base + sops.get(i % sops.size()) + suffix, accept, token)[1];
    }
    long[] ns = new long[REQUESTS];
    long[] heads = new long[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      long[] r = get(base + sops.get(i % sops.size()) + suffix, accept, token);
      ns[i] = r[0];
      heads[i] = r[2];
    }
    print(what, ns, heads, bytes);
  }

  /**
   * As {@link #measure}, the targets ("via hub", "via baseline hub", "direct") taking turns request
   * by request, so a change of load hits all three alike.
   */
  static void interleaved(
      String what,
      List<String> bases,
      List<String> sops,
      String suffix,
      String accept,
      List<String> tokens)
      throws Exception {
    String[] names = {"via hub         ", "via baseline hub", "direct          "};
    for (int i = 0; i < WARMUP; i++) {
      for (int t = 0; t < bases.size(); t++) {
        get(bases.get(t) + sops.get(i % sops.size()) + suffix, accept, tokens.get(t));
      }
    }
    long[][] ns = new long[bases.size()][REQUESTS];
    long[][] head = new long[bases.size()][REQUESTS];
    long bytes = 0;
    for (int i = 0; i < REQUESTS; i++) {
      for (int t = 0; t < bases.size(); t++) {
        long[] r = get(bases.get(t) + sops.get(i % sops.size()) + suffix, accept, tokens.get(t));
        ns[t][i] = r[0];
        bytes = r[1];
        head[t][i] = r[2];
      }
    }
    for (int t = 0; t < bases.size(); t++) {
      print(what + " " + names[t], ns[t], head[t], bytes);
    }
  }

  /** One line: p50/p95/p99 of the whole answers, then p50/p95 of the time to their heads. */
  private static void print(String what, long[] ns, long[] heads, long bytes) {
    Arrays.sort(ns);
    Arrays.sort(heads);
    System.out.printf(
        "%s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  (n=%d, %d bytes each);"
            + " the head after p50 %6.2f ms  p95 %6.2f ms%n",
        what,
        ns[ns.length / 2] / 1e6,
        ns[(int) (ns.length * 0.95)] / 1e6,
        ns[(int) (ns.length * 0.99)] / 1e6,
        ns.length,
        bytes,
        heads[heads.length / 2] / 1e6,
        heads[(int) (heads.length * 0.95)] / 1e6);
  }

  /**
   * {elapsed ns, body bytes, ns until the response's head} of one GET whose whole body is read: the
   * head tells the time before the first byte (authorisation, consent, audit, the node's head) from
   * the body's.
   */
  private static long[] get(String url, String accept, String token) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r =
        FederationBench.HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Accept", accept)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    long head = System.nanoTime() - t0;
    byte[] body;
    try (InputStream in = r.body()) {
      body = in.readAllBytes();
    }
    long t = System.nanoTime() - t0;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " -> " + r.statusCode() + " " + new String(body));
    }
    return new long[] {t, body.length, head};
  }
}
