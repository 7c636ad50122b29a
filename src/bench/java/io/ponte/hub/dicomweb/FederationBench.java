package io.ponte.hub.dicomweb;

import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Federation benchmark (prints figures; never fails a build). Starts a real node (-Xmx512m) and a
 * real hub capped at -Xmx256m from target/quarkus-app, stows a ~1 GB study (2,000 × 0.5 MB CT
 * instances) into the node, registers it at the hub, then:
 *
 * <ol>
 *   <li>WADO-RS study retrieval directly from the node (hub token) vs through the hub (clinician
 *       token): MB/s;
 *   <li>QIDO-RS at the hub over 100,000 registered studies (bulk-inserted by SQL): p50/p95 per
 *       query shape.
 * </ol>
 *
 * Run: see docs/performance.md ("Hub federation").
 */
public final class FederationBench {

  // HTTP/1.1, as viewers and PACS speak it to DICOMweb servers (no h2c upgrade on plain HTTP).
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final int INSTANCES = Integer.getInteger("bench.instances", 2000);
  static final int PIXEL_BYTES = 512 * 512 * 2;
  static final String ANY_DICOM =
      "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

  public static void main(String[] args) throws Exception {
    String run = Long.toString(System.currentTimeMillis() % 100000000L);
    String study = "2.25." + run;
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
                "ponte-bench-" + run))) {
      try (BenchProcess hub =
              BenchProcess.start(
                  "hub",
                  null,
                  "ponte_hub_bench",
                  "256m",
                  Map.of("ponte.hub.federation.node-url.hospital-a", node.url()));
          BenchProcess baseline = baselineHub(node)) {
        long bytes = stow(node, study, series);
        register(hub, study);
        wado(node, hub, baseline, study, bytes);
        if (!Boolean.getBoolean("bench.skipQido")) {
          qido(hub);
        }
      }
    }
  }

  /**
   * With {@code -Dbench.baselineHubJar=<other build>/target/quarkus-app/quarkus-run.jar}, a second
   * hub (same database, same -Xmx256m) from another build, measured in the same runs: before/after
   * on the same machine.
   */
  static BenchProcess baselineHub(BenchProcess node) throws Exception {
    String jar = System.getProperty("bench.baselineHubJar");
    return jar == null
        ? null
        : BenchProcess.start(
            "hub",
            null,
            "ponte_hub_bench",
            "256m",
            Map.of(
                "ponte.hub.federation.node-url.hospital-a",
                node.url(),
                // its own DIMSE port: the first hub holds the default one
                "ponte.hub.dimse.port",
                Integer.toString(BenchProcess.freePort())),
            Paths.get(jar));
  }

  static String load() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  /**
   * 2,000 copies of one dcmtk-written 0.5 MB CT with their own SOP Instance UIDs, stowed 100 per
   * request.
   */
  static long stow(BenchProcess node, String study, String series) throws Exception {
    return stow(
        node.url() + "/dicomweb/studies",
        Tokens.client("hospital-a-ingest"),
        study,
        series,
        INSTANCES);
  }

  /** {@code instances} copies as above, stowed to {@code stowUrl} ({@code token} null: none). */
  static long stow(String stowUrl, String token, String study, String series, int instances)
      throws Exception {
    Path dir = Files.createDirectories(Paths.get("target", "bench-data"));
    String placeholder = series + ".199999";
    byte[] template =
        Files.readAllBytes(DicomTestFiles.ct(dir, study, series, placeholder, PIXEL_BYTES, 1));
    byte[] marker = placeholder.getBytes(StandardCharsets.US_ASCII);
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i <= template.length - marker.length; i++) {
      if (Arrays.equals(template, i, i + marker.length, marker, 0, marker.length)) {
        at.add(i);
      }
    }
    long total = 0;
    long t0 = System.nanoTime();
    for (int batch = 0; batch * 100 < instances; batch++) {
      String boundary = "bench" + batch;
      ByteArrayOutputStream body = new ByteArrayOutputStream(110 * template.length);
      for (int k = 0; k < 100 && batch * 100 + k < instances; k++) {
        byte[] copy = template.clone();
        byte[] sop =
            (series + "." + (100000 + batch * 100 + k)).getBytes(StandardCharsets.US_ASCII);
        for (int pos : at) {
          System.arraycopy(sop, 0, copy, pos, sop.length);
        }
        body.writeBytes(
            ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes());
        body.writeBytes(copy);
        body.writeBytes("\r\n".getBytes());
        total += copy.length;
      }
      body.writeBytes(("--" + boundary + "--\r\n").getBytes());
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(stowUrl))
              .header(
                  "Content-Type",
                  "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("STOW " + r.statusCode() + ": " + r.body());
      }
    }
    System.out.printf(
        "setup: stowed %d instances, %.1f MB, in %.1f s to %s%n",
        instances, total / 1e6, (System.nanoTime() - t0) / 1e9, stowUrl);
    return total;
  }

  static void register(BenchProcess hub, String study) throws Exception {
    String json = FhirStudies.study("hospital-a", FhirStudies.mrn()).uid(study).json();
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        hub.url()
                            + "/fhir/ImagingStudy?identifier="
                            + URLEncoder.encode(
                                "urn:dicom:uid|urn:oid:" + study, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + Tokens.client("ponte-node-hospital-a"))
                .header("Content-Type", "application/fhir+json")
                .timeout(Duration.ofMinutes(2))
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("publish " + r.statusCode() + ": " + r.body());
    }
  }

  static void wado(
      BenchProcess node, BenchProcess hub, BenchProcess baseline, String study, long stowed)
      throws Exception {
    String direct = node.url() + "/dicomweb/studies/" + study;
    String viaHub = hub.url() + "/dicomweb/studies/" + study;
    String viaBaseline = baseline == null ? null : baseline.url() + "/dicomweb/studies/" + study;
    // Same instances both ways: SHA-256 over the parts' payloads (boundaries differ per answer).
    Result d0 = get(direct, Tokens.client("ponte-hub"), true);
    Result h0 = get(viaHub, Tokens.user("ana.clinic"), true);
    System.out.printf("check: direct %d bytes sha256(payload)=%s%n", d0.bytes, d0.digest);
    System.out.printf(
        "check: hub    %d bytes sha256(payload)=%s  %s%n",
        h0.bytes, h0.digest, d0.digest.equals(h0.digest) ? "EQUAL" : "DIFFERENT");
    System.out.println("load before runs: " + load());
    double directBest = 0;
    double hubBest = 0;
    double baselineBest = 0;
    int runs = Integer.getInteger("bench.runs", 3);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Result d = get(direct, Tokens.client("ponte-hub"), false);
      double cpu0 = hub.cpuSeconds();
      Result h = get(viaHub, Tokens.user("ana.clinic"), false);
      double hubCpu = hub.cpuSeconds() - cpu0;
      directBest = Math.max(directBest, d.mbps());
      hubBest = Math.max(hubBest, h.mbps());
      String line =
          String.format(
              "run %d: direct %.1f MB/s (%.2f s), hub %.1f MB/s (%.2f s, %.0f %%, hub CPU %.2f s/GB)",
              i + 1,
              d.mbps(),
              d.seconds,
              h.mbps(),
              h.seconds,
              100 * h.mbps() / d.mbps(),
              hubCpu / (h.bytes / 1e9));
      if (baseline != null) {
        double b0 = baseline.cpuSeconds();
        Result b = get(viaBaseline, Tokens.user("ana.clinic"), false);
        double baselineCpu = baseline.cpuSeconds() - b0;
        baselineBest = Math.max(baselineBest, b.mbps());
        line +=
            String.format(
                ", baseline hub %.1f MB/s (%.2f s, %.0f %%, CPU %.2f s/GB)",
                b.mbps(), b.seconds, 100 * b.mbps() / d.mbps(), baselineCpu / (b.bytes / 1e9));
      }
      lines.add(line);
      System.out.println("wado " + line);
    }
    System.out.println("load after runs: " + load());
    System.out.printf(
        "wado: study of %d instances (%.1f MB stored); best direct %.1f MB/s, best via hub %.1f MB/s"
            + " = %.0f%% of direct%s; hub heap capped at -Xmx256m, hub alive=%s%n",
        INSTANCES,
        stowed / 1e6,
        directBest,
        hubBest,
        100 * hubBest / directBest,
        baseline == null
            ? ""
            : String.format(
                ", best via baseline hub %.1f MB/s = %.0f%%",
                baselineBest, 100 * baselineBest / directBest),
        hub.process.isAlive());
  }

  record Result(long bytes, double seconds, String digest) {
    double mbps() {
      return bytes / 1e6 / seconds;
    }
  }

  /**
   * Streams a WADO-RS answer to nowhere (optionally digesting the parts' payload, boundaries
   * skipped).
   */
  static Result get(String url, String token, boolean digest) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Accept", ANY_DICOM)
                .timeout(Duration.ofMinutes(5))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          url + " -> " + r.statusCode() + " " + new String(r.body().readAllBytes()));
    }
    if (digest) {
      return partsDigest(r, t0);
    }
    long n = 0;
    byte[] buf = new byte[256 * 1024];
    try (InputStream in = r.body()) {
      int k;
      while ((k = in.read(buf)) >= 0) {
        n += k;
      }
    }
    long announced = r.headers().firstValueAsLong("content-length").orElse(-1);
    if (announced >= 0 && n != announced) {
      throw new IllegalStateException(
          url + ": the answer ended after " + n + " of " + announced + " bytes");
    }
    return new Result(n, (System.nanoTime() - t0) / 1e9, "");
  }

  /**
   * SHA-256 over the parts' payloads only (each part is read by its Content-Length), so two answers
   * with different boundaries compare equal exactly when they carry the same instances in the same
   * order.
   */
  static Result partsDigest(HttpResponse<InputStream> r, long t0) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    long n = 0;
    int parts = 0;
    try (java.io.DataInputStream in =
        new java.io.DataInputStream(new java.io.BufferedInputStream(r.body(), 1 << 18))) {
      byte[] buf = new byte[256 * 1024];
      while (true) {
        String line = line(in);
        if (line.endsWith("--")) {
          break;
        }
        long length = -1;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
          if (h.toLowerCase().startsWith("content-length:")) {
            length = Long.parseLong(h.substring(15).trim());
          }
        }
        for (long left = length; left > 0; ) {
          int k = in.read(buf, 0, (int) Math.min(buf.length, left));
          md.update(buf, 0, k);
          left -= k;
          n += k;
        }
        line(in); // CRLF ending the part
        parts++;
      }
    }
    return new Result(
        n,
        (System.nanoTime() - t0) / 1e9,
        parts + " parts, " + HexFormat.of().formatHex(md.digest()));
  }

  private static String line(java.io.DataInputStream in) throws java.io.IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /**
   * 100,000 studies of 20,000 patients straight into the hub registry, then timed QIDO-RS queries.
   */
  static void qido(BenchProcess hub) throws Exception {
    String db = TestDatabases.url("ponte_hub_bench");
    try (Connection c = DriverManager.getConnection(db, "postgres", "");
        Statement st = c.createStatement()) {
      ResultSet rs = st.executeQuery("select count(*) from imaging_study where id like 'bench-%'");
      rs.next();
      if (rs.getLong(1) < 100_000) {
        long t0 = System.nanoTime();
        st.execute(
            "insert into patient (id, site_id, identifier_system, identifier_value, family_name,"
                + " given_names, birth_date, gender, version_id, last_updated, name_search)"
                + " select 'bench-p' || g, 'hospital-a', 'urn:ponte:site:hospital-a:mrn', 'BENCH-' || g,"
                + " 'Family' || (g % 5000), 'Given' || (g % 300), date '1940-01-01' + (g % 25000),"
                + " case when g % 2 = 0 then 'female' else 'male' end, 1, now(),"
                + " 'family' || (g % 5000) || '^given' || (g % 300)"
                + " from generate_series(1, 20000) g on conflict do nothing");
        st.execute(
            "insert into imaging_study (id, study_instance_uid, site_id, patient_id, started, version_id,"
                + " last_updated, content_sha256, resource_json)"
                + " select 'bench-s' || g, '2.25.9' || g, 'hospital-a', 'bench-p' || (1 + g % 20000),"
                + " timestamptz '2016-01-01 00:00:00+00' + (g * interval '47 minutes'), 1, now(), repeat('0', 64),"
                + " '{\"resourceType\":\"ImagingStudy\",\"id\":\"bench-s' || g || '\",\"identifier\":[{\"system\":"
                + "\"urn:dicom:uid\",\"value\":\"urn:oid:2.25.9' || g || '\"},{\"type\":{\"coding\":[{\"code\":"
                + "\"ACSN\"}]},\"value\":\"ACC' || g || '\"}],\"status\":\"available\",\"numberOfSeries\":2,"
                + "\"numberOfInstances\":' || (20 + g % 300) || ',\"description\":\"Bench study ' || g || '\","
                + "\"series\":[{\"uid\":\"2.25.9' || g || '.1\",\"number\":1,\"modality\":{\"code\":\"CT\"}},"
                + "{\"uid\":\"2.25.9' || g || '.2\",\"number\":2,\"modality\":{\"code\":\"SR\"}}]}'"
                + " from generate_series(1, 100000) g on conflict do nothing");
        st.execute(
            "insert into imaging_study_modality (study_id, code) select 'bench-s' || g,"
                + " (array['CT','MR','US','CR','DX'])[1 + g % 5] from generate_series(1, 100000) g on conflict do nothing");
        st.execute("analyze patient; analyze imaging_study; analyze imaging_study_modality");
        System.out.printf(
            "setup: registered 100,000 studies in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
    }
    String token = Tokens.user("ana.clinic");
    Random random = new Random(42);
    Map<String, java.util.function.Supplier<String>> shapes = new LinkedHashMap<>();
    shapes.put(
        "PatientID=<one of 20,000> (OHIF patient search)",
        () ->
            "/dicomweb/studies?PatientID=BENCH-"
                + (1 + random.nextInt(20000))
                + "&limit=101&includefield=00081030");
    shapes.put(
        "StudyDate=<one month> limit=101",
        () ->
            "/dicomweb/studies?StudyDate="
                + month(random)
                + "&limit=101&offset=0&fuzzymatching=false");
    shapes.put(
        "ModalitiesInStudy=MR limit=101", () -> "/dicomweb/studies?ModalitiesInStudy=MR&limit=101");
    shapes.put(
        "no filter limit=101 (OHIF study list)", () -> "/dicomweb/studies?limit=101&offset=0");
    shapes.put(
        "PatientName=Family<n>* limit=101",
        () -> "/dicomweb/studies?PatientName=Family" + random.nextInt(5000) + "*&limit=101");
    shapes.put(
        "StudyInstanceUID=<one>",
        () -> "/dicomweb/studies?StudyInstanceUID=2.25.9" + (1 + random.nextInt(100000)));
    for (Map.Entry<String, java.util.function.Supplier<String>> shape : shapes.entrySet()) {
      for (int i = 0; i < 20; i++) {
        time(hub, shape.getValue().get(), token); // warm-up
      }
      long[] ms = new long[200];
      for (int i = 0; i < ms.length; i++) {
        ms[i] = time(hub, shape.getValue().get(), token);
      }
      Arrays.sort(ms);
      System.out.printf(
          "qido %-50s p50 %5.1f ms  p95 %5.1f ms  (n=%d)%n",
          shape.getKey(), ms[ms.length / 2] / 1e6, ms[(int) (ms.length * 0.95)] / 1e6, ms.length);
    }
  }

  private static String month(Random random) {
    int year = 2016 + random.nextInt(8);
    int m = 1 + random.nextInt(12);
    java.time.LocalDate start = java.time.LocalDate.of(year, m, 1);
    return start.toString().replace("-", "")
        + "-"
        + start.plusMonths(1).minusDays(1).toString().replace("-", "");
  }

  private static long time(BenchProcess hub, String path, String token) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r =
        HTTP.send(
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
