package io.ponte.dicom.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Orthanc from Debian, started for a test with a temp config: a hospital PACS that sends to named
 * modalities.
 */
final class Orthanc implements AutoCloseable {

  private final Process process;
  private final int httpPort;

  // A fresh connection per request: Orthanc closes idle keep-alive connections, and a POST sent on
  // one it has
  // just closed fails with "header parser received no bytes" (the JDK client retries only
  // idempotent GETs).
  private static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * @param modalities name -> {AE, port} on 127.0.0.1
   */
  Orthanc(Path dir, Map<String, Object[]> modalities) throws IOException, InterruptedException {
    httpPort = freePort();
    int dicomPort = freePort();
    String mods =
        modalities.entrySet().stream()
            .map(
                e ->
                    "\""
                        + e.getKey()
                        + "\": [\""
                        + e.getValue()[0]
                        + "\", \"127.0.0.1\", "
                        + e.getValue()[1]
                        + "]")
            .collect(Collectors.joining(", "));
    Path storage = Files.createDirectories(dir.resolve("storage"));
    Path config = dir.resolve("orthanc.json");
    Files.writeString(
        config,
        "{\n"
            + "  \"Name\": \"HospitalPACS\",\n"
            + "  \"DicomAet\": \"HOSPPACS\",\n"
            + "  \"DicomPort\": "
            + dicomPort
            + ",\n"
            + "  \"HttpPort\": "
            + httpPort
            + ",\n"
            + "  \"StorageDirectory\": \""
            + storage
            + "\",\n"
            + "  \"IndexDirectory\": \""
            + storage
            + "\",\n"
            + "  \"RemoteAccessAllowed\": false,\n"
            + "  \"AuthenticationEnabled\": false,\n"
            + "  \"DicomModalities\": { "
            + mods
            + " },\n"
            + "  \"Plugins\": []\n"
            + "}\n");
    ProcessBuilder pb =
        new ProcessBuilder("Orthanc", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("orthanc.log").toFile());
    pb.environment().put("TCP_NODELAY", "1");
    process = pb.start();
    for (int i = 0; i < 200; i++) {
      try {
        if (get("/system").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    close();
    throw new IOException(
        "Orthanc did not start; see "
            + dir.resolve("orthanc.log")
            + ":\n"
            + Files.readString(dir.resolve("orthanc.log")));
  }

  static boolean installed() {
    return Files.isExecutable(Path.of("/usr/sbin/Orthanc"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .GET()
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, HttpRequest.BodyPublisher body)
      throws IOException, InterruptedException {
    return http()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .POST(body)
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** POST /instances; returns Orthanc's instance id. */
  String upload(Path file) throws IOException, InterruptedException {
    HttpResponse<String> r = post("/instances", HttpRequest.BodyPublishers.ofFile(file));
    if (r.statusCode() != 200) {
      throw new IOException("upload failed: " + r.statusCode() + " " + r.body());
    }
    Matcher m = Pattern.compile("\"ID\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
    if (!m.find()) {
      throw new IOException("no ID in " + r.body());
    }
    return m.group(1);
  }

  /**
   * POST /modalities/{name}/store: Orthanc's C-STORE SCU sends the instance; returns status and
   * body.
   */
  HttpResponse<String> store(String modality, String instanceId)
      throws IOException, InterruptedException {
    return post(
        "/modalities/" + modality + "/store", HttpRequest.BodyPublishers.ofString(instanceId));
  }

  /** POST /modalities/{name}/echo. */
  HttpResponse<String> echo(String modality) throws IOException, InterruptedException {
    return post("/modalities/" + modality + "/echo", HttpRequest.BodyPublishers.ofString("{}"));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
