package io.ponte.hub.web;

import io.ponte.demo.DemoCatalogue;
import io.ponte.demo.SampleStudyWriter;
import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.Tokens;
import io.ponte.testing.browser.BrowserScripts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A clinician's search to the first image, in a real browser (prints figures; never fails a build):
 * a node and a hub started as the README runs them ({@code quarkus-run.jar}), {@code
 * -Dbench.patients} (default 50) patients at hospital-a with an older and a newest CT study ({@code
 * -Dbench.instances} × 512×512, default 40) stored by dcmtk's storescu, then, in Debian's chromium
 * driven by playwright-core (src/test/browser/specs/bench-search-to-first-image.js), for each
 * patient: the identifier typed into the workspace's search, the person's timeline, "open in
 * viewer" on the newest study (the viewer's window: the first opens it, the OHIF running there
 * shows the next), until OHIF's viewport holds that study's first image. Two passes: cold (a fresh
 * browser profile, studies never read since they were stored) and cached (the same patients again
 * in the same browser). Run: docs/performance.md ("Search to first image").
 */
public final class SearchToFirstImageBench {

  static final int PATIENTS = Integer.getInteger("bench.patients", 50);
  static final int INSTANCES = Integer.getInteger("bench.instances", 40);

  /**
   * How long the clinician looks at a study before searching the next patient (not timed): at 0,
   * the viewer still loads the previous study's other images while the next search runs.
   */
  static final int READ_MS = Integer.getInteger("bench.readMillis", 0);

  static final Path OHIF = Paths.get("target", "tools", "ohif").toAbsolutePath();

  public static void main(String[] args) throws Exception {
    // Two passes of a few seconds per patient: more than a test script's 5 minutes.
    System.setProperty(
        "ponte.browser.timeoutMinutes", Long.toString(Math.max(5, PATIENTS * 2L * 30 / 60)));
    if (!Files.isRegularFile(OHIF.resolve("index.html"))) {
      throw new IllegalStateException("no OHIF under " + OHIF + ": run `ponte.sh install-viewer`");
    }
    String run = UUID.randomUUID().toString().substring(0, 8);
    int hubPort = FreePorts.next();
    int dimse = FreePorts.next();
    try (PonteProcess node =
            PonteProcess.node("hospital-a", "ponte_node_bench_firstimage")
                .property("ponte.node.dimse.port", Integer.toString(dimse))
                .property(
                    "ponte.node.storage.cache-dir",
                    Paths.get("target", "bench-firstimage-cache-" + run)
                        .toAbsolutePath()
                        .toString())
                .property("ponte.node.storage.blob-container", "ponte-bench-firstimage-" + run)
                .property("ponte.node.publish.hub-url", "http://127.0.0.1:" + hubPort)
                .property("ponte.node.publish.quiet-period", "2s")
                .property("ponte.node.publish.poll-interval", "1s")
                .start();
        PonteProcess hub =
            PonteProcess.hub("ponte_hub_bench_firstimage")
                .port(hubPort)
                .property("ponte.hub.federation.node-url.hospital-a", node.baseUrl())
                .property("ponte.hub.viewer.dir", OHIF.toString())
                .start()) {
      List<String[]> patients = new ArrayList<>();
      Path dir = Paths.get("target", "bench-firstimage-" + run);
      for (int p = 0; p < PATIENTS; p++) {
        String mrn = "FI-" + run + "-" + p;
        DemoCatalogue.Patient patient =
            new DemoCatalogue.Patient(
                "hospital-a", "HOSPITAL-A", mrn, "Bench^Patient" + p, "19700101", "F", null);
        DemoCatalogue.Study older =
            new DemoCatalogue.Study(
                patient, mrn + "-old", "CT", "20240110", "090000", "CT older", "CHEST", 1, 5);
        DemoCatalogue.Study newest =
            new DemoCatalogue.Study(
                patient,
                mrn + "-new",
                "CT",
                "20260301",
                "090000",
                "CT newest",
                "CHEST",
                1,
                INSTANCES);
        List<Path> files = new ArrayList<>(SampleStudyWriter.write(older, dir.resolve(mrn), 512));
        files.addAll(SampleStudyWriter.write(newest, dir.resolve(mrn), 512));
        store(dimse, files);
        patients.add(new String[] {mrn, SampleStudyWriter.uid(newest.key())});
      }
      System.out.printf(
          Locale.ROOT,
          "stored %d patients × (5 + %d) CT instances 512×512; load %s%n",
          PATIENTS,
          INSTANCES,
          load());
      for (String[] p : patients) {
        awaitRetrievable(hub, p[1]);
      }
      StringBuilder json =
          new StringBuilder(
              "{\"username\":\"ana.clinic\",\"readMillis\":" + READ_MS + ",\"patients\":[");
      for (int i = 0; i < patients.size(); i++) {
        json.append(i == 0 ? "" : ",")
            .append("{\"identifier\":\"")
            .append(patients.get(i)[0])
            .append("\",\"site\":\"hospital-a\",\"uid\":\"")
            .append(patients.get(i)[1])
            .append("\"}");
      }
      json.append("]}");
      System.out.println("load before the browser: " + load());
      BrowserScripts.run("bench-search-to-first-image", hub.baseUrl(), json.toString());
      System.out.print(
          Files.readString(Paths.get("target", "browser-logs", "bench-search-to-first-image.log")));
      System.out.println("load after: " + load());
    }
  }

  private static void store(int port, List<Path> files) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("storescu", "-aec", "PONTE", "127.0.0.1", Integer.toString(port)));
    files.forEach(f -> command.add(f.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TCP_NODELAY", "1");
    Process storescu = pb.start();
    String output = new String(storescu.getInputStream().readAllBytes());
    if (!storescu.waitFor(300, TimeUnit.SECONDS) || storescu.exitValue() != 0) {
      throw new IllegalStateException("storescu failed: " + output);
    }
  }

  /** Registered at the hub and its metadata answered through the hub (not timed). */
  private static void awaitRetrievable(PonteProcess hub, String uid) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    while (System.nanoTime() < deadline) {
      HttpRequest head =
          HttpRequest.newBuilder(
                  URI.create(hub.baseUrl() + "/dicomweb/studies?StudyInstanceUID=" + uid))
              .header("Authorization", "Bearer " + Tokens.user("ana.clinic"))
              .build();
      HttpResponse<String> r = http.send(head, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200 && r.body().contains(uid)) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("study " + uid + " not registered at the hub in 300 s");
  }

  private static String load() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "?";
    }
  }
}
