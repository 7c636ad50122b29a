package io.ponte.dicom.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * dcmtk's storescp in bit-preserving mode (+B): it writes each data set exactly as storescu put it
 * on the wire, so it tells us what bytes storescu really sends (storescu re-encodes: it drops
 * trailing padding and group lengths, and converts between uncompressed syntaxes), independently of
 * our code.
 */
final class StorescpOracle implements AutoCloseable {

  private final Process process;
  private final Path dir;
  private final int port;

  StorescpOracle(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "storescp",
                "+xa",
                "+B",
                "-aet",
                TestServers.AE,
                "-od",
                dir.toString(),
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("storescp.log").toFile());
    pb.environment().put("TCP_NODELAY", "1");
    process = pb.start();
    for (int i = 0; i < 100; i++) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    close();
    throw new IOException("storescp did not start");
  }

  int port() {
    return port;
  }

  /** The one Part 10 file storescp wrote since the last call (moved out of its directory). */
  Path takeReceived(Path to) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      java.util.List<Path> files =
          s.filter(p -> !p.getFileName().toString().equals("storescp.log"))
              .collect(java.util.stream.Collectors.toList());
      if (files.size() != 1) {
        throw new AssertionError("storescp received " + files);
      }
      return Files.move(files.get(0), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
