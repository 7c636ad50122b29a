package io.ponte.faults;

import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * (f) The node's cache volume full: STOW-RS and C-STORE refuse cleanly (nothing acknowledged, the
 * standard's Out of Resources), the index stays consistent with the cache, and ingest resumes once
 * space is freed. The volume is a 32 MB tmpfs mounted for the scenario (the suite runs as root) and
 * filled by a file of the suite's own; eviction is parked so the figures are about refusal alone.
 */
final class DiskFull implements Scenario {

  @Override
  public String name() {
    return "disk-full";
  }

  @Override
  public String title() {
    return "the node's cache volume full, then space freed";
  }

  @Override
  public void run(Path work, Report report) throws Exception {
    List<FaultKit.Instance> before = FaultKit.study(work.resolve("before"), 5, 65_536);
    List<FaultKit.Instance> refused = FaultKit.study(work.resolve("refused"), 4, 65_536);
    Path volume = Paths.get("/tmp", "ponte-faults-disk-" + Processes.RUN);
    Files.createDirectories(volume);
    String mounted = exec("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", volume.toString());
    if (!mounted.isEmpty()) {
      report.check(false, "could not mount a 32 MB tmpfs at %s: %s", volume, mounted);
      return;
    }
    String db = Processes.database("disk");
    Path cache = volume.resolve("cache");
    int dimse = FreePorts.next();
    PonteProcess node = null;
    try {
      node =
          Processes.node(db, cache, dimse, Processes.container("disk"))
              .property("ponte.node.storage.eviction-interval", "1h")
              .start();
      String ingest = FaultKit.clientToken("hospital-a-ingest");
      String jdbc = Processes.jdbc(db);
      int first = FaultKit.stow(node.baseUrl(), ingest, before).statusCode();
      report.check(first == 200, "before: 5 instances stored (%d)", first);

      Path filler = volume.resolve("filler");
      long filled = fill(filler);
      report.note(
          "volume filled by a %d MB file: %d bytes usable",
          filled >> 20, volume.toFile().getUsableSpace());
      report.note(
          "readiness while full: %d",
          FaultKit.status(FaultKit.get(node.baseUrl() + "/q/health/ready", null, null)));

      HttpResponse<String> stow = FaultKit.stow(node.baseUrl(), ingest, refused.subList(0, 3));
      String type = stow.headers().firstValue("Content-Type").orElse("");
      boolean clean =
          ((stow.statusCode() == 503 || stow.statusCode() == 507) && type.contains("problem+json"))
              || (stow.statusCode() == 409
                  && stow.body().contains("42752")
                  && !stow.body()
                      .contains("\"00081199\"")); // no Referenced SOP Sequence: none stored
      report.check(
          clean,
          "full: STOW-RS of 3 instances %d %s%s",
          stow.statusCode(),
          type,
          stow.body().contains("42752") ? " (Failure Reason A700 Out of Resources)" : "");
      String cstore = FaultKit.cstoreOnce(dimse, refused.get(3));
      report.check(cstore.startsWith("A7"), "full: C-STORE status %s", cstore);
      report.check(consistent(jdbc, cache, 5, report), "full: index consistent with the cache");

      Files.delete(filler);
      String readiness = node.baseUrl() + "/q/health/ready";
      double ready =
          FaultKit.await(
              Duration.ofSeconds(30),
              () -> FaultKit.status(FaultKit.get(readiness, null, null)) == 200);
      int again = FaultKit.stow(node.baseUrl(), ingest, refused.subList(0, 3)).statusCode();
      String cstoreAgain = FaultKit.cstoreOnce(dimse, refused.get(3));
      report.check(
          ready >= 0 && again == 200 && cstoreAgain.equals("0000"),
          "space freed: ready again in %.1f s, the refused instances sent again: STOW-RS %d,"
              + " C-STORE %s",
          ready,
          again,
          cstoreAgain);
      report.check(
          consistent(jdbc, cache, 9, report), "space freed: index consistent with the cache");
    } finally {
      Processes.quietly(node);
      exec("umount", volume.toString());
      Files.deleteIfExists(volume);
    }
  }

  /** Rows as expected; every row's file present with its SHA-256; no file without a row. */
  private static boolean consistent(String jdbc, Path cache, int expected, Report report)
      throws IOException {
    List<String[]> rows = FaultKit.rows(jdbc, "select cache_path, sha256 from instance", 2);
    int bad = 0;
    for (String[] r : rows) {
      Path f = cache.resolve(r[0]);
      if (!Files.exists(f) || !DicomTestFiles.sha256(f).equals(r[1])) {
        bad++;
      }
    }
    long files;
    try (Stream<Path> walk = Files.walk(cache)) {
      files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".dcm")).count();
    }
    long incoming;
    try (Stream<Path> in = Files.list(cache.resolve(".incoming"))) {
      incoming = in.count();
    } catch (IOException e) {
      incoming = 0;
    }
    report.note(
        "index rows %d (expected %d), rows without their intact file %d, cache files %d,"
            + " temp files %d",
        rows.size(), expected, bad, files, incoming);
    return rows.size() == expected && bad == 0 && files == expected && incoming == 0;
  }

  /** Writes until the volume refuses; returns the bytes written. */
  private static long fill(Path filler) {
    byte[] chunk = new byte[64 * 1024];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
        written += chunk.length;
      }
    } catch (IOException full) {
      return written;
    }
  }

  /** Runs a command; returns its output when it fails, "" when it succeeds. */
  private static String exec(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    return p.waitFor() == 0 ? "" : (out.isEmpty() ? "exit " + p.exitValue() : out);
  }
}
