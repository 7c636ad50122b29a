package io.ponte.hub.dicomweb;

import io.ponte.testing.Orthanc;
import io.ponte.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * WADO-RS whole studies side by side, one stream (prints figures; never fails a build): the node
 * directly, the same studies through the hub, and Orthanc from Debian (DICOMweb plugin,
 * TCP_NODELAY=1) holding the same instances. {@code -Dbench.studies} (default 20) studies of {@code
 * -Dbench.perStudy} (default 100) × 0.5 MB CT are stowed into the node and into Orthanc and
 * registered at the hub; then {@code -Dbench.rounds} (default 3) rounds retrieve every study from
 * each of the three, the order of the three rotated per study so that none always goes first. MB/s
 * per source is the bytes of all its answers over their summed time. Run: docs/performance.md
 * ("WADO-RS side by side with Orthanc").
 */
public final class WadoSideBySideBench {

  static final int STUDIES = Integer.getInteger("bench.studies", 20);
  static final int PER_STUDY = Integer.getInteger("bench.perStudy", 100);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

  public static void main(String[] args) throws Exception {
    String run = Long.toString(System.currentTimeMillis() % 100000000L);
    Path orthancDir = Files.createDirectories(Paths.get("target", "bench-orthanc-" + run));
    try (BenchProcess node =
            BenchProcess.start(
                "node",
                "hospital-a",
                "ponte_node_bench_wado",
                "512m",
                Map.of(
                    "ponte.node.storage.cache-dir",
                    "target/bench-wado-cache-" + run,
                    "ponte.node.storage.blob-container",
                    "ponte-bench-wado-" + run));
        BenchProcess hub =
            BenchProcess.start(
                "hub",
                null,
                "ponte_hub_bench_wado",
                "256m",
                Map.of(
                    "ponte.hub.federation.node-url.hospital-a",
                    node.url(),
                    "ponte.hub.dimse.enabled",
                    "false"));
        Orthanc orthanc = Orthanc.builder(orthancDir).dicomWeb().start()) {
      List<String> studies = new ArrayList<>();
      for (int i = 0; i < STUDIES; i++) {
        String study = "2.25." + run + "." + (i + 1);
        FederationBench.stow(
            node.url() + "/dicomweb/studies",
            Tokens.client("hospital-a-ingest"),
            study,
            study + ".1",
            PER_STUDY);
        FederationBench.stow(
            orthanc.url() + "/dicom-web/studies", null, study, study + ".1", PER_STUDY);
        FederationBench.register(hub, study);
        studies.add(study);
      }
      String[] names = {"node direct", "through the hub", "Orthanc"};
      long[] bytes = new long[3];
      double[] seconds = new double[3];
      // Same instances from all three: part counts and bytes of the first study.
      for (int s = 0; s < 3; s++) {
        FederationBench.Result r = fetch(s, node, hub, orthanc, studies.get(0), true);
        System.out.printf("check: %-16s %d bytes, %s%n", names[s], r.bytes(), r.digest());
      }
      System.out.println("load before runs: " + FederationBench.load());
      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < studies.size(); i++) {
          for (int k = 0; k < 3; k++) {
            int s = (i + round + k) % 3;
            FederationBench.Result r = fetch(s, node, hub, orthanc, studies.get(i), false);
            bytes[s] += r.bytes();
            seconds[s] += r.seconds();
          }
        }
        System.out.printf(
            "round %d: %s; load %s%n",
            round + 1, Arrays.toString(rates(bytes, seconds)), FederationBench.load());
      }
      double[] mbps = rates(bytes, seconds);
      System.out.printf(
          "wado side by side: %d studies × %d × 0.5 MB, %d rounds, one stream: node direct %.1f"
              + " MB/s, through the hub %.1f MB/s (%.0f %% of direct; target ≥ 90 %%), Orthanc"
              + " %.1f MB/s (node direct %.0f %% of Orthanc; target ≥ 100 %%)%n",
          STUDIES,
          PER_STUDY,
          ROUNDS,
          mbps[0],
          mbps[1],
          100 * mbps[1] / mbps[0],
          mbps[2],
          100 * mbps[0] / mbps[2]);
    }
  }

  private static double[] rates(long[] bytes, double[] seconds) {
    double[] out = new double[bytes.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = seconds[i] == 0 ? 0 : Math.round(bytes[i] / 1e6 / seconds[i] * 10) / 10.0;
    }
    return out;
  }

  private static FederationBench.Result fetch(
      int source,
      BenchProcess node,
      BenchProcess hub,
      Orthanc orthanc,
      String study,
      boolean digest)
      throws Exception {
    return switch (source) {
      case 0 ->
          FederationBench.get(
              node.url() + "/dicomweb/studies/" + study, Tokens.client("ponte-hub"), digest);
      case 1 ->
          FederationBench.get(
              hub.url() + "/dicomweb/studies/" + study, Tokens.user("ana.clinic"), digest);
      default -> FederationBench.get(orthanc.url() + "/dicom-web/studies/" + study, "-", digest);
    };
  }
}
