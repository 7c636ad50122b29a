package io.ponte.hub.dicomweb;

import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * What consent enforcement costs at the hub (prints figures; never fails a build). Starts a real
 * node (-Xmx512m) and TWO hubs (-Xmx256m each) on the same registry database, one with consent
 * enforced (the default) and one with {@code ponte.hub.consent.enforcement=false}, so that every
 * measurement alternates between them under the same machine load:
 *
 * <ol>
 *   <li>QIDO-RS over 100,000 registered studies (30,000 patients at three sites, 3,000 linked in
 *       pairs across sites, ~6 % of patients with a consent: deny all, deny the clinic, permit one
 *       hospital only, an expired deny), as ana.clinic (clinic-norte), p50/p95 per query shape;
 *       each request goes to both hubs in turn, the order swapped every request;
 *   <li>WADO-RS of one {@code -Dbench.instances} (default 2,000) × 0.5 MB CT study stowed into the
 *       node: MB/s through each hub, alternating, {@code -Dbench.runs} (default 4) each.
 * </ol>
 *
 * Run: docs/performance.md ("Consent enforcement").
 */
public final class ConsentBench {

  static final int INSTANCES = FederationBench.INSTANCES;
  static final int QUERIES = Integer.getInteger("bench.queries", 200);
  static final String DB = "ponte_hub_consentbench";

  public static void main(String[] args) throws Exception {
    String run = Long.toString(System.currentTimeMillis() % 100000000L);
    String study = "2.25." + run;
    try (BenchProcess node =
        BenchProcess.start(
            "node",
            "hospital-a",
            "ponte_node_consentbench",
            "512m",
            Map.of(
                "ponte.node.storage.cache-dir",
                "target/bench-node-cache",
                "ponte.node.storage.blob-container",
                "ponte-consentbench-" + run))) {
      // DIMSE is not measured; two hubs on one machine cannot share its port.
      Map<String, String> on =
          Map.of(
              "ponte.hub.federation.node-url.hospital-a",
              node.url(),
              "ponte.hub.dimse.enabled",
              "false");
      Map<String, String> off = new LinkedHashMap<>(on);
      off.put("ponte.hub.consent.enforcement", "false");
      try (BenchProcess hubOn = BenchProcess.start("hub", null, DB, "256m", on);
          BenchProcess hubOff = BenchProcess.start("hub", null, DB, "256m", off)) {
        registry();
        System.out.println("load before: " + FederationBench.load());
        qido(hubOn, hubOff);
        System.out.println("load after QIDO-RS: " + FederationBench.load());
        long bytes = FederationBench.stow(node, study, study + ".1");
        FederationBench.register(hubOn, study);
        wado(hubOn, hubOff, study, bytes);
        System.out.println("load after WADO-RS: " + FederationBench.load());
      }
    }
  }

  /** The registry and the consents, by SQL (the hubs have migrated the schema). */
  static void registry() throws Exception {
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(TestDatabases.url(DB), "postgres", "");
        Statement st = c.createStatement()) {
      String site =
          "(array['hospital-a','hospital-a','hospital-b','hospital-b','clinic-norte'])[1 + g % 5]";
      st.execute(
          "insert into patient (id, site_id, identifier_system, identifier_value, family_name,"
              + " given_names, birth_date, gender, version_id, last_updated, name_search)"
              + " select 'bench-p' || g, "
              + site
              + ", 'urn:ponte:site:' || "
              + site
              + " || ':mrn', 'BENCH-' || g, 'Family' || (g % 5000), 'Given' || (g % 300),"
              + " date '1940-01-01' + (g % 25000), case when g % 2 = 0 then 'female' else 'male' end,"
              + " 1, now(), 'family' || (g % 5000) || '^given' || (g % 300)"
              + " from generate_series(1, 30000) g");
      st.execute(
          "insert into imaging_study (id, study_instance_uid, site_id, patient_id, started, version_id,"
              + " last_updated, content_sha256, resource_json)"
              + " select 'bench-s' || g, '2.25.9' || g, p.site_id, p.id,"
              + " timestamptz '2016-01-01 00:00:00+00' + (g * interval '47 minutes'), 1, now(), repeat('0', 64),"
              + " '{\"resourceType\":\"ImagingStudy\",\"id\":\"bench-s' || g || '\",\"identifier\":[{\"system\":"
              + "\"urn:dicom:uid\",\"value\":\"urn:oid:2.25.9' || g || '\"},{\"type\":{\"coding\":[{\"code\":"
              + "\"ACSN\"}]},\"value\":\"ACC' || g || '\"}],\"status\":\"available\",\"numberOfSeries\":2,"
              + "\"numberOfInstances\":' || (20 + g % 300) || ',\"description\":\"Bench study ' || g || '\","
              + "\"series\":[{\"uid\":\"2.25.9' || g || '.1\",\"number\":1,\"modality\":{\"code\":\"CT\"}},"
              + "{\"uid\":\"2.25.9' || g || '.2\",\"number\":2,\"modality\":{\"code\":\"SR\"}}]}'"
              + " from generate_series(1, 100000) g join patient p on p.id = 'bench-p' || (1 + g % 30000)");
      st.execute(
          "insert into imaging_study_modality (study_id, code) select 'bench-s' || g,"
              + " (array['CT','MR','US','CR','DX'])[1 + g % 5] from generate_series(1, 100000) g");
      // Persons across sites: patients 2k-1 and 2k (different sites) share a regional id.
      st.execute(
          "insert into regional_person select 'BREG-' || k, now(), now()"
              + " from generate_series(1, 1500) k");
      st.execute(
          "insert into identity_link (patient_id, regional_id, method, linked_at, linked_by)"
              + " select 'bench-p' || g, 'BREG-' || ((g + 1) / 2), 'deterministic', now(), 'bench'"
              + " from generate_series(1, 3000) g");
      // ~6 % of patients state a choice: 2 % deny all, 2 % deny the clinic, 1 % permit only
      // hospital-b, 1 % a deny whose period ended; and 60 persons deny the clinic by regional id.
      String rules =
          "case when g % 50 = 1 then '{\"base\":{\"permit\":false,\"actors\":[],\"sources\":[]},\"exceptions\":[]}'"
              + " when g % 50 = 2 then '{\"base\":{\"permit\":false,\"actors\":[\"clinic-norte\"],\"sources\":[]},\"exceptions\":[]}'"
              + " when g % 100 = 3 then '{\"base\":{\"permit\":false,\"actors\":[],\"sources\":[]},\"exceptions\":"
              + "[{\"permit\":true,\"actors\":[\"hospital-b\"],\"sources\":[]}]}'"
              + " else '{\"base\":{\"permit\":false,\"actors\":[],\"sources\":[],\"start\":\"2020-01-01T00:00:00Z\","
              + "\"end\":\"2021-01-01T00:00:00Z\"},\"exceptions\":[]}' end";
      st.execute(
          "insert into consent (id, patient_id, status, consented_at, rules, source, recorded_by,"
              + " recorded_at, version_id, last_updated, resource_json)"
              + " select 'bench-c' || g, 'bench-p' || g, 'active', now() - g * interval '1 minute', "
              + rules
              + ", 'paper', 'bench', now(), 1, now(), '{\"resourceType\":\"Consent\"}'"
              + " from generate_series(1, 30000) g where g % 50 in (1, 2) or g % 100 in (3, 4)");
      st.execute(
          "insert into consent (id, regional_id, status, consented_at, rules, source, recorded_by,"
              + " recorded_at, version_id, last_updated, resource_json)"
              + " select 'bench-r' || k, 'BREG-' || k, 'active', now(), '{\"base\":{\"permit\":false,"
              + "\"actors\":[\"clinic-norte\"],\"sources\":[]},\"exceptions\":[]}', 'paper', 'bench', now(),"
              + " 1, now(), '{\"resourceType\":\"Consent\"}' from generate_series(25, 1500, 25) k");
      st.execute(
          "analyze patient; analyze imaging_study; analyze imaging_study_modality;"
              + " analyze identity_link; analyze consent");
      ResultSet rs = st.executeQuery("select count(*) from consent where status = 'active'");
      rs.next();
      System.out.printf(
          "setup: 100,000 studies, 30,000 patients, %d active consents in %.1f s%n",
          rs.getLong(1), (System.nanoTime() - t0) / 1e9);
    }
  }

  static void qido(BenchProcess hubOn, BenchProcess hubOff) throws Exception {
    Random random = new Random(42);
    Map<String, Supplier<String>> shapes = new LinkedHashMap<>();
    shapes.put(
        "PatientID=<one of 30,000>",
        () -> "/dicomweb/studies?PatientID=BENCH-" + (1 + random.nextInt(30000)) + "&limit=101");
    shapes.put(
        "StudyDate=<one month> limit=101",
        () -> "/dicomweb/studies?StudyDate=" + month(random) + "&limit=101");
    shapes.put(
        "ModalitiesInStudy=MR limit=101", () -> "/dicomweb/studies?ModalitiesInStudy=MR&limit=101");
    shapes.put("no filter limit=101", () -> "/dicomweb/studies?limit=101");
    shapes.put(
        "no filter limit=101 offset=<0..5000>",
        () -> "/dicomweb/studies?limit=101&offset=" + random.nextInt(5000));
    shapes.put(
        "PatientName=Family<n>* limit=101",
        () -> "/dicomweb/studies?PatientName=Family" + random.nextInt(5000) + "*&limit=101");
    List<Double> ratios = new ArrayList<>();
    for (Map.Entry<String, Supplier<String>> shape : shapes.entrySet()) {
      // A fresh token per shape: on a loaded machine one shape can outlast a token's lifetime.
      String token = Tokens.user("ana.clinic");
      for (int i = 0; i < 20; i++) {
        String path = shape.getValue().get();
        time(hubOn, path, token); // warm-up
        time(hubOff, path, token);
      }
      long[] on = new long[QUERIES];
      long[] off = new long[QUERIES];
      for (int i = 0; i < QUERIES; i++) {
        String path = shape.getValue().get();
        if (i % 2 == 0) {
          on[i] = time(hubOn, path, token);
          off[i] = time(hubOff, path, token);
        } else {
          off[i] = time(hubOff, path, token);
          on[i] = time(hubOn, path, token);
        }
      }
      Arrays.sort(on);
      Arrays.sort(off);
      double p95on = on[(int) (QUERIES * 0.95)] / 1e6;
      double p95off = off[(int) (QUERIES * 0.95)] / 1e6;
      ratios.add(p95on / p95off);
      System.out.printf(
          "qido %-38s on p50 %5.1f p95 %5.1f ms | off p50 %5.1f p95 %5.1f ms | p95 on/off %.2f"
              + " (n=%d each)%n",
          shape.getKey(),
          on[QUERIES / 2] / 1e6,
          p95on,
          off[QUERIES / 2] / 1e6,
          p95off,
          p95on / p95off,
          QUERIES);
    }
    System.out.printf(
        "qido p95 on/off, mean over shapes: %.2f%n",
        ratios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
  }

  static void wado(BenchProcess hubOn, BenchProcess hubOff, String study, long stowed)
      throws Exception {
    String token = Tokens.user("ana.clinic");
    String path = "/dicomweb/studies/" + study;
    FederationBench.get(hubOn.url() + path, token, false); // warm-up (and node cache)
    FederationBench.get(hubOff.url() + path, token, false);
    int runs = Integer.getInteger("bench.runs", 4);
    double[] on = new double[runs];
    double[] off = new double[runs];
    for (int i = 0; i < runs; i++) {
      if (i % 2 == 0) {
        on[i] = FederationBench.get(hubOn.url() + path, token, false).mbps();
        off[i] = FederationBench.get(hubOff.url() + path, token, false).mbps();
      } else {
        off[i] = FederationBench.get(hubOff.url() + path, token, false).mbps();
        on[i] = FederationBench.get(hubOn.url() + path, token, false).mbps();
      }
      System.out.printf("wado run %d: on %.1f MB/s, off %.1f MB/s%n", i + 1, on[i], off[i]);
    }
    Arrays.sort(on);
    Arrays.sort(off);
    System.out.printf(
        "wado: %d instances (%.1f MB); median on %.1f MB/s, off %.1f MB/s = %.0f %%;"
            + " best on %.1f, off %.1f = %.0f %%%n",
        INSTANCES,
        stowed / 1e6,
        median(on),
        median(off),
        100 * median(on) / median(off),
        on[runs - 1],
        off[runs - 1],
        100 * on[runs - 1] / off[runs - 1]);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String month(Random random) {
    java.time.LocalDate start =
        java.time.LocalDate.of(2016 + random.nextInt(8), 1 + random.nextInt(12), 1);
    return start.toString().replace("-", "")
        + "-"
        + start.plusMonths(1).minusDays(1).toString().replace("-", "");
  }

  private static long time(BenchProcess hub, String path, String token) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r =
        FederationBench.HTTP.send(
            HttpRequest.newBuilder(URI.create(hub.url() + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    long t = System.nanoTime() - t0;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " -> " + r.statusCode() + " " + new String(r.body()));
    }
    return t;
  }
}
