package io.ponte.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second, real Azurite (blob service) of a test's own, on a free port with its own workspace: the
 * replica account. Found where src/main/scripts/services.sh installs Azurite
 * (target/tools/azurite), else on the PATH, else installed there from npm the way services.sh does.
 * {@link #stop()} and {@link #start()} again on the same port and workspace are an outage of the
 * account and its return.
 */
public final class SecondAzurite implements AutoCloseable {

  /** The version services.sh installs. */
  private static final String VERSION = "3.37.0";

  private final int port;
  private final Path workspace;
  private Process process;

  /** On {@code port} (e.g. one a test profile chose before the application started). */
  public SecondAzurite(int port, Path workspace) {
    this.port = port;
    this.workspace = workspace;
  }

  /** A free port for a second Azurite, the same for every caller in this JVM. */
  public static synchronized int sharedPort() {
    String key = "second-azurite.port";
    String port = System.getProperty(key);
    if (port == null) {
      port = Integer.toString(FreePorts.next());
      System.setProperty(key, port);
    }
    return Integer.parseInt(port);
  }

  /** The well-known development account's connection string, on this Azurite's port. */
  public String connectionString() {
    return AzuriteContainer.connectionString(port);
  }

  public int port() {
    return port;
  }

  /** Starts it and waits until it answers (60 s at most). */
  public synchronized SecondAzurite start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      return this;
    }
    Files.createDirectories(workspace);
    Path log = log();
    process =
        new ProcessBuilder(
                List.of(
                    binary().toString(),
                    "--blobHost",
                    "127.0.0.1",
                    "--blobPort",
                    Integer.toString(port),
                    "--location",
                    workspace.toString(),
                    "--skipApiVersionCheck",
                    "--loose"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (!answers()) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        stop();
        throw new IOException("the second Azurite did not start; see " + log);
      }
      Thread.sleep(100);
    }
    return this;
  }

  /**
   * Stops it (SIGTERM, as services.sh does, so it saves its workspace) and waits for the end.
   * Azurite says it has closed within milliseconds, but its process then waits for the clients'
   * idle keep-alive connections to time out (10–20 s): once it has said so, it is ended.
   */
  public synchronized void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    long logged = logSize();
    process.destroy();
    long deadline = System.currentTimeMillis() + 20_000;
    while (process.isAlive() && !saysClosedAfter(logged) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    if (!process.waitFor(0, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    process = null;
  }

  private Path log() {
    return workspace.resolveSibling(workspace.getFileName() + ".log");
  }

  private long logSize() {
    try {
      return Files.size(log());
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Whether what its log gained after {@code offset} says it has closed (its workspace saved): only
   * that part is read, the log of its earlier runs is not.
   */
  private boolean saysClosedAfter(long offset) {
    try (java.nio.channels.SeekableByteChannel log = Files.newByteChannel(log())) {
      log.position(offset);
      byte[] added = java.nio.channels.Channels.newInputStream(log).readAllBytes();
      return new String(added, java.nio.charset.StandardCharsets.UTF_8)
          .contains("successfully closed");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private boolean answers() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(500);
      c.setRequestMethod("HEAD");
      try {
        c.getResponseCode();
        String server = c.getHeaderField("Server");
        return server != null && server.toLowerCase().contains("azurite");
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** target/tools/azurite (services.sh's install), the PATH, else an npm install there. */
  static synchronized Path binary() throws IOException, InterruptedException {
    Path installed =
        Path.of("target/tools/azurite/node_modules/.bin/azurite-blob").toAbsolutePath();
    if (Files.isExecutable(installed)) {
      return installed;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, "azurite-blob");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    Path home = Path.of("target/tools/azurite").toAbsolutePath();
    Files.createDirectories(home);
    Process npm =
        new ProcessBuilder(
                "npm",
                "install",
                "--prefix",
                home.toString(),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "azurite@" + VERSION)
            .inheritIO()
            // Not the test JVM's stdin: surefire talks to its fork over it, and node makes an
            // inherited stdin non-blocking ("std/in stream corrupted").
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!npm.waitFor(10, TimeUnit.MINUTES)
        || npm.exitValue() != 0
        || !Files.isExecutable(installed)) {
      throw new IOException("npm could not install azurite@" + VERSION + " into " + home);
    }
    return installed;
  }
}
