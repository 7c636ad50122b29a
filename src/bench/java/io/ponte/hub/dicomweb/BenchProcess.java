package io.ponte.hub.dicomweb;

import io.ponte.testing.TestDatabases;
import io.ponte.testing.TestServices;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application as a separate JVM with a chosen heap (PonteProcess fixes -Xmx512m; the
 * benchmark needs the hub at -Xmx256m). Stopped by {@link #close()}.
 */
final class BenchProcess implements AutoCloseable {

  final Process process;
  final int port;

  private BenchProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  static BenchProcess start(
      String role, String site, String database, String xmx, Map<String, String> props)
      throws Exception {
    return start(role, site, database, xmx, props, Paths.get("target/quarkus-app/quarkus-run.jar"));
  }

  /** CPU seconds (user + system) the process has used so far, from /proc (Linux); NaN elsewhere. */
  double cpuSeconds() {
    try {
      String[] f =
          Files.readString(Paths.get("/proc", Long.toString(process.pid()), "stat"))
              .replaceFirst("^.*\\) ", "")
              .split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12]))
          / 100.0; // utime, stime in clock ticks (100/s)
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * User and system CPU seconds the process has used so far, from /proc (Linux); NaN elsewhere. The
   * split says whether a cost is the JVM's own work or the kernel's (syscalls, wake-ups).
   */
  double[] cpuUserSystem() {
    try {
      String[] f =
          Files.readString(Paths.get("/proc", Long.toString(process.pid()), "stat"))
              .replaceFirst("^.*\\) ", "")
              .split(" ");
      return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN};
    }
  }

  /**
   * Context switches (voluntary and not) of all the process's threads so far, from /proc (Linux):
   * thread hand-offs show here. Threads that ended are not counted.
   */
  long contextSwitches() {
    long total = 0;
    try (var tasks = Files.list(Paths.get("/proc", Long.toString(process.pid()), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches")
                || line.startsWith("nonvoluntary_ctxt_switches")) {
              total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException | RuntimeException threadGone) {
          // ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return total;
  }

  /**
   * CPU seconds (user + system) per kind of thread so far (thread names without their digits: GC
   * workers, compilers, event loops, workers...), from /proc (Linux): what a JFR execution sample
   * misses (GC and compiler threads, time in the kernel).
   */
  java.util.Map<String, Double> cpuByThreadKind() {
    java.util.Map<String, Double> out = new java.util.TreeMap<>();
    try (var tasks = Files.list(Paths.get("/proc", Long.toString(process.pid()), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
          out.merge(name.replaceAll("[0-9]+", "#"), cpu, Double::sum);
        } catch (IOException | RuntimeException threadGone) {
          // ended meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return out;
  }

  /** A TCP port free right now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static BenchProcess start(
      String role, String site, String database, String xmx, Map<String, String> props, Path jar)
      throws Exception {
    int port = freePort();
    List<String> cmd =
        new ArrayList<>(
            List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + xmx));
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    // e.g. -Dbench.jvmArgs=-XX:StartFlightRecording=filename=target/bench-logs/%role-%port.jfr to
    // profile each process (%role and %port name its files apart)
    String extra = System.getProperty("bench.jvmArgs", "");
    if (!extra.isBlank()) {
      cmd.addAll(
          List.of(
              extra
                  .replace("%role", role)
                  .replace("%port", Integer.toString(port))
                  .trim()
                  .split("\\s+")));
    }
    cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "serve", "--role", role));
    if (site != null) {
      cmd.addAll(List.of("--site", site));
    }
    Path log = Paths.get("target", "bench-logs", role + "-" + port + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder b =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    b.environment().put("PONTE_HTTP_PORT", Integer.toString(port));
    b.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    b.environment().put("PONTE_PUBLIC_URL", "http://127.0.0.1:" + port);
    b.environment().put("PONTE_OIDC_URL", TestServices.REALM_URL);
    // The demo realm's client secrets are accepted only in the demo profile.
    b.environment().put("QUARKUS_PROFILE", "demo");
    if (role.equals("hub")) {
      // A full JDBC URL is used as it is (a database a benchmark keeps between runs).
      b.environment()
          .put(
              "PONTE_HUB_DB_URL",
              database.startsWith("jdbc:") ? database : TestDatabases.url(database));
    } else {
      b.environment().put("PONTE_NODE_DB_URL", TestDatabases.url(database));
      b.environment().put("PONTE_OIDC_CLIENT_ID", "ponte-node-" + site);
      b.environment().put("PONTE_OIDC_SECRET", "ponte-node-" + site + "-secret");
    }
    BenchProcess p = new BenchProcess(b.start(), port);
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (!p.process.isAlive()) {
        throw new IllegalStateException(role + " exited; see " + log);
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(p.url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return p;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(300);
    }
    p.close();
    throw new IllegalStateException(role + " not ready; see " + log);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
