package io.ponte.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs dcmtk command-line tools (the independent reference implementation) for tests:
 * TCP_NODELAY=1, no stdin, stdout and stderr drained concurrently (a full pipe would block the
 * tool), bounded time.
 */
public final class Dcmtk {

  /** A finished tool: exit code, raw stdout, stderr. */
  public record Result(int exitCode, byte[] stdout, String stderr) {

    public boolean ok() {
      return exitCode == 0;
    }

    /** stdout as UTF-8 text. */
    public String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** stdout then stderr: what the tool printed, for assertions on its messages and log lines. */
    public String output() {
      return out() + stderr;
    }
  }

  private Dcmtk() {}

  public static boolean has(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Paths.get(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Skips the calling test, visibly, when the tool is not installed; fails it under CI. */
  public static void require(String tool) {
    Peers.require(has(tool), "dcmtk's " + tool + " (Debian: dcmtk)");
  }

  public static Result run(String... command) {
    return run(List.of(command));
  }

  public static Result run(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("TCP_NODELAY", "1");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<byte[]> out = drain(p.getInputStream());
      CompletableFuture<byte[]> err = drain(p.getErrorStream());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs a tool and returns its stdout; fails with everything it printed when it exits non-zero.
   */
  public static String runOk(String... command) throws IOException {
    Result r = run(command);
    if (!r.ok()) {
      throw new IOException(
          String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.output());
    }
    return r.out();
  }

  /** On its own thread, not the common pool, so both pipes always drain at once. */
  private static CompletableFuture<byte[]> drain(InputStream in) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (in;
                  ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
                in.transferTo(buf);
                result.complete(buf.toByteArray());
              } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "dcmtk-drain");
    reader.setDaemon(true);
    reader.start();
    return result;
  }
}
