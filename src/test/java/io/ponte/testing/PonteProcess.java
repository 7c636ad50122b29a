package io.ponte.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}, passed by failsafe as
 * {@code ponte.app.jar}) run as a separate JVM, exactly as an operator runs it: {@code java -jar
 * quarkus-run.jar serve --role hub|node --site X}. For end-to-end tests that need a real hub
 * talking to real nodes. Listens on a free port, logs to {@code target/it-logs/}, and is stopped
 * (TERM, then KILL after 30 s) by {@link #close()}.
 */
public final class PonteProcess implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private PonteProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** A hub with its own (created if absent) database {@code database + $PONTE_TEST_DB_SUFFIX}. */
  public static Builder hub(String database) {
    return new Builder("hub", null, database);
  }

  /**
   * A node of {@code site}; its OIDC client is {@code ponte-node-<site>} with secret {@code
   * <client>-secret}.
   */
  public static Builder node(String site, String database) {
    return new Builder("node", site, database);
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>} */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Path log() {
    return log;
  }

  /** The operating system's process id (for jcmd, /proc). */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** kill -9: the process gets no chance to finish anything, as in a crash. */
  public void kill() {
    process.destroyForcibly(); // SIGKILL
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " on " + baseUrl() + " (log " + log + ")";
  }

  /** How to start one process; {@link #start()} returns once {@code /q/health/ready} answers UP. */
  public static final class Builder {
    private final String role;
    private final String site;
    private final String database;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private int port;

    private Builder(String role, String site, String database) {
      this.role = role;
      this.site = site;
      this.database = database;
    }

    /** An extra system property ({@code -Dkey=value}) for the process. */
    public Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /**
     * Listen on {@code port} instead of a free one (when another process must know it beforehand).
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * An extra JVM option, after the default {@code -Xmx512m} (so {@code -Xmx1g} replaces it, as
     * ponte.sh runs the processes).
     */
    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    /** An extra environment variable for the process; {@code null} removes one. */
    public Builder env(String key, String value) {
      environment.put(key, value);
      return this;
    }

    /** What a one-shot command printed and how it exited. */
    public record Run(int exitCode, String output) {}

    /**
     * Runs {@code java -jar quarkus-run.jar <args>} (e.g. {@code node verify --site X}) with this
     * builder's database, cache, properties and environment, and waits for it to exit.
     */
    public Run run(Duration timeout, String... args) {
      int port = this.port > 0 ? this.port : FreePorts.next();
      String name = role + (site == null ? "" : "-" + site) + "-" + args[0] + "-" + port;
      Path log = Paths.get("target", "it-logs", name + ".log").toAbsolutePath();
      try {
        Files.createDirectories(log.getParent());
        Process process = processBuilder(List.of(args), port, log).start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(name + " did not exit within " + timeout);
        }
        return new Run(process.exitValue(), Files.readString(log));
      } catch (IOException e) {
        throw new UncheckedIOException("could not run " + name, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /**
     * Starts {@code java -jar quarkus-run.jar <args>} (a one-shot command such as {@code migrate})
     * and returns at once, without waiting for it to exit or be ready: for tests that kill a
     * command mid-run. Its output goes to {@link #log()}.
     */
    public PonteProcess launch(String... args) {
      int port = this.port > 0 ? this.port : FreePorts.next();
      String name = role + (site == null ? "" : "-" + site) + "-" + args[0] + "-" + port;
      Path log = Paths.get("target", "it-logs", name + ".log").toAbsolutePath();
      try {
        Files.createDirectories(log.getParent());
        return new PonteProcess(name, processBuilder(List.of(args), port, log).start(), port, log);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start " + name, e);
      }
    }

    public PonteProcess start() {
      int port = this.port > 0 ? this.port : FreePorts.next();
      String name = role + (site == null ? "" : "-" + site) + "-" + port;
      Path log = Paths.get("target", "it-logs", name + ".log").toAbsolutePath();
      List<String> serve = new ArrayList<>(List.of("serve", "--role", role));
      if (site != null) {
        serve.addAll(List.of("--site", site));
      }
      ProcessBuilder builder = processBuilder(serve, port, log);
      try {
        Files.createDirectories(log.getParent());
        PonteProcess started = new PonteProcess(name, builder.start(), port, log);
        awaitReady(started);
        return started;
      } catch (IOException e) {
        throw new UncheckedIOException("could not start " + name, e);
      }
    }

    private ProcessBuilder processBuilder(List<String> args, int port, Path log) {
      Path jar =
          Paths.get(System.getProperty("ponte.app.jar", "target/quarkus-app/quarkus-run.jar"));
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            jar + " is missing: run `mvn package` (failsafe runs after it)");
      }
      String name = role + (site == null ? "" : "-" + site) + "-" + port;
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.add("-Xmx512m");
      command.addAll(jvmOptions);
      properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
      command.addAll(args);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      Map<String, String> env = builder.environment();
      env.put("PONTE_HTTP_PORT", Integer.toString(port));
      env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
      env.put("PONTE_PUBLIC_URL", "http://127.0.0.1:" + port);
      env.put("PONTE_OIDC_URL", TestServices.REALM_URL);
      // The demo realm's client secrets are accepted only in the demo profile (ClientSecrets).
      env.put("QUARKUS_PROFILE", "demo");
      if ("hub".equals(role)) {
        env.put("PONTE_HUB_DB_URL", TestDatabases.url(database));
        // The demo profile maps a DIMSE caller; hubs side by side must not all bind 11110.
        env.put("PONTE_HUB_DIMSE_ENABLED", "false");
      } else {
        env.put("PONTE_NODE_DB_URL", TestDatabases.url(database));
        env.put("PONTE_OIDC_CLIENT_ID", "ponte-node-" + site);
        env.put("PONTE_OIDC_SECRET", "ponte-node-" + site + "-secret");
        // Nor 11112: beside a running `ponte.sh up` node-a holds it. A test that must know the
        // port sets -Dponte.node.dimse.port, which wins over this.
        env.put("PONTE_NODE_DIMSE_PORT", Integer.toString(FreePorts.next()));
        // Under target/, so that an IT leaves nothing in the checkout.
        env.put(
            "PONTE_NODE_CACHE_DIR",
            Paths.get("target", "it-cache", name).toAbsolutePath().toString());
      }
      environment.forEach(
          (key, value) -> {
            if (value == null) {
              env.remove(key);
            } else {
              env.put(key, value);
            }
          });
      return builder;
    }

    private static void awaitReady(PonteProcess started) {
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create(started.baseUrl() + "/q/health/ready"))
              .timeout(Duration.ofSeconds(5))
              .build();
      while (System.nanoTime() < deadline) {
        if (!started.process.isAlive()) {
          throw new IllegalStateException(
              started
                  + " exited with "
                  + started.process.exitValue()
                  + " during start-up:\n"
                  + tail(started.log));
        }
        try {
          HttpResponse<String> response = HTTP.send(ready, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200 && response.body().contains("UP")) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        sleep(250);
      }
      started.close();
      throw new IllegalStateException(
          started + " was not ready within " + READY_TIMEOUT + ":\n" + tail(started.log));
    }

    private static String tail(Path log) {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
