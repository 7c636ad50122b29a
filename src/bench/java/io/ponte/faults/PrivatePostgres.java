package io.ponte.faults;

import io.ponte.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the suite's own (initdb + pg_ctl of the installed server, on a free port,
 * trust auth on loopback), so that it can be stopped and started while the shared one on 5432 keeps
 * serving everyone else. Runs as the {@code postgres} user when the suite runs as root (PostgreSQL
 * refuses root).
 */
final class PrivatePostgres implements AutoCloseable {

  private final Path dir;
  private final Path bin;
  private final int port;

  private PrivatePostgres(Path dir, Path bin, int port) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
  }

  static PrivatePostgres create() throws IOException, InterruptedException {
    Path bin;
    try (Stream<Path> versions = Files.list(Paths.get("/usr/lib/postgresql"))) {
      bin =
          versions
              .map(v -> v.resolve("bin"))
              .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
              .max(Comparator.naturalOrder())
              .orElseThrow(() -> new IOException("no /usr/lib/postgresql/*/bin/pg_ctl"));
    }
    Path dir = Paths.get("/tmp", "ponte-faults-pg-" + Processes.RUN);
    Files.createDirectories(dir);
    PrivatePostgres pg = new PrivatePostgres(dir, bin, FreePorts.next());
    pg.chownToPostgres();
    pg.run(
        "initdb",
        "-D",
        dir.resolve("data").toString(),
        "-A",
        "trust",
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--no-sync");
    pg.start();
    return pg;
  }

  int port() {
    return port;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>} */
  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  void start() throws IOException, InterruptedException {
    run(
        "pg_ctl",
        "-D",
        dir.resolve("data").toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "start");
  }

  /** A fast shutdown: sessions are terminated and their clients see their connections drop. */
  void stop() throws IOException, InterruptedException {
    run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
  }

  private void run(String tool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(tool).toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(tool + ".out").toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          tool + " failed: " + Files.readString(dir.resolve(tool + ".out")).strip());
    }
  }

  private void chownToPostgres() throws IOException, InterruptedException {
    if ("root".equals(System.getProperty("user.name"))) {
      new ProcessBuilder("chown", "postgres:postgres", dir.toString()).start().waitFor();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } catch (IOException e) {
      // already stopped
    }
    new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
  }
}
