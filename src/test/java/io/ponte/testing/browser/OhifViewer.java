package io.ponte.testing.browser;

import io.ponte.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * OHIF as {@code ponte.sh install-viewer} installs it (target/tools/ohif), for the ITs that start a
 * hub serving it at /viewer: installed when it is not there yet; if it cannot be, the test is
 * skipped, or fails under CI=true.
 */
public final class OhifViewer {

  public static final Path DIR = Paths.get("target", "tools", "ohif").toAbsolutePath();

  private OhifViewer() {}

  /** The installed viewer's directory (the hub's {@code ponte.hub.viewer.dir}). */
  public static Path require() throws Exception {
    Peers.require(installed(), "the OHIF viewer (src/main/scripts/ponte.sh install-viewer: npm)");
    return DIR;
  }

  /** Whether the viewer is installed, installing it first if it is not there yet. */
  public static boolean installed() throws Exception {
    if (Files.isRegularFile(DIR.resolve("index.html"))) {
      return true;
    }
    Process p =
        new ProcessBuilder("bash", "src/main/scripts/ponte.sh", "install-viewer")
            .redirectErrorStream(true)
            .redirectOutput(Paths.get("target", "ohif-install.log").toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return false;
    }
    return p.exitValue() == 0 && Files.isRegularFile(DIR.resolve("index.html"));
  }
}
