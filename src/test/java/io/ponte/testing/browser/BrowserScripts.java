package io.ponte.testing.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a browser spec ({@code src/test/browser/specs/<name>.js}) in node, driving Debian's {@code
 * chromium} headless through npm's {@code playwright-core} (pinned in src/test/browser/package.json
 * and installed into {@code target/tools/playwright} on first use, as Azurite is; never a
 * downloaded browser). Screenshots land in {@code target/screenshots}, the spec's output in {@code
 * target/browser-logs}. Without chromium a test is skipped on a developer's machine and fails under
 * {@code CI=true}, so CI never passes by skipping.
 */
public final class BrowserScripts {

  private static final Path ROOT = Paths.get("").toAbsolutePath();
  private static final Path SOURCES = ROOT.resolve("src/test/browser");
  private static final Path TOOLS = ROOT.resolve("target/tools/playwright");
  public static final Path SCREENSHOTS = ROOT.resolve("target/screenshots");
  // A benchmark's script runs longer than a test's: -Dponte.browser.timeoutMinutes.
  private static final long TIMEOUT_MINUTES = Long.getLong("ponte.browser.timeoutMinutes", 5);

  private BrowserScripts() {}

  /** Debian's chromium ($PONTE_CHROMIUM overrides), or a skip (a failure when CI=true). */
  public static Path chromium() {
    Optional<Path> found =
        Optional.ofNullable(System.getenv("PONTE_CHROMIUM"))
            .map(Paths::get)
            .or(() -> Optional.of(Paths.get("/usr/bin/chromium")))
            .filter(Files::isExecutable);
    if (found.isEmpty()) {
      String why = "no chromium (apt-get install chromium; `ponte.sh install` does)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + ": browser tests must run on CI");
      }
      Assumptions.abort(why);
    }
    return found.get();
  }

  /**
   * Runs {@code spec} against {@code hubUrl}; {@code inputJson} is what the spec reads as its
   * input. Fails with the spec's output unless it exits 0.
   */
  public static void run(String spec, String hubUrl, String inputJson) {
    Path chromium = chromium();
    installPlaywright();
    Path logs = ROOT.resolve("target/browser-logs");
    Path log = logs.resolve(spec + ".log");
    try {
      Files.createDirectories(logs);
      Files.createDirectories(SCREENSHOTS);
      ProcessBuilder node =
          new ProcessBuilder("node", SOURCES.resolve("specs/" + spec + ".js").toString())
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = node.environment();
      env.put("NODE_PATH", TOOLS.resolve("node_modules").toString());
      env.put("PONTE_CHROMIUM", chromium.toString());
      env.put("PONTE_HUB_URL", hubUrl);
      env.put("PONTE_SCREENSHOTS", SCREENSHOTS.toString());
      env.put("PONTE_SPEC_INPUT", inputJson);
      Process process = node.start();
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail(spec + " did not finish in " + TIMEOUT_MINUTES + " min:\n" + read(log));
      }
      if (process.exitValue() != 0) {
        fail(spec + " failed (exit " + process.exitValue() + "):\n" + read(log));
      }
    } catch (IOException e) {
      fail("could not run node for " + spec + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  /** {@code npm install} of src/test/browser/package.json into target/tools/playwright, once. */
  static synchronized void installPlaywright() {
    try {
      Path manifest = TOOLS.resolve("package.json");
      String wanted = Files.readString(SOURCES.resolve("package.json"));
      if (Files.isDirectory(TOOLS.resolve("node_modules/playwright-core"))
          && Files.exists(manifest)
          && Files.readString(manifest).equals(wanted)) {
        return;
      }
      Files.createDirectories(TOOLS);
      Files.writeString(manifest, wanted, StandardCharsets.UTF_8);
      ProcessBuilder npm =
          new ProcessBuilder(
                  List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"))
              .directory(TOOLS.toFile())
              .redirectErrorStream(true)
              .redirectOutput(TOOLS.resolve("npm-install.log").toFile());
      // playwright-core downloads nothing by itself; say so anyway, in case a version ever does.
      npm.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
      Process process = npm.start();
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        fail("npm could not install playwright-core:\n" + read(TOOLS.resolve("npm-install.log")));
      }
    } catch (IOException e) {
      fail("could not install playwright-core (is npm installed?): " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
