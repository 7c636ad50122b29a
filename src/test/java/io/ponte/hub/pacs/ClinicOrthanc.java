package io.ponte.hub.pacs;

import io.ponte.testing.PonteProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Orthanc from Debian as a clinic's PACS, configured as the docs' recipe says (docs/operations.md,
 * "Connecting a clinic's PACS"): AE title {@code CLINIC_NORTE}, the hub as DICOM modality {@code
 * ponte}, and the hub's DICOMweb as {@code DicomWeb.Servers.ponte} with a bearer header.
 */
public final class ClinicOrthanc implements AutoCloseable {

  static final String PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

  private final Process process;
  private final int httpPort;
  private final int dicomPort;
  private final Path log;

  public ClinicOrthanc(Path dir, String aeTitle, int hubDimsePort, String hubDicomweb, String token)
      throws IOException, InterruptedException {
    httpPort = PonteProcess.Builder.freePort();
    dicomPort = PonteProcess.Builder.freePort();
    Path storage = Files.createDirectories(dir.resolve("storage"));
    log = dir.resolve("orthanc.log");
    Path config = dir.resolve("orthanc.json");
    Files.writeString(
        config,
        """
        {
          "Name": "ClinicNortePACS",
          "DicomAet": "%s",
          "DicomPort": %d,
          "HttpPort": %d,
          "StorageDirectory": "%s",
          "IndexDirectory": "%s",
          "RemoteAccessAllowed": false,
          "AuthenticationEnabled": false,
          "DicomModalities": { "ponte": [ "PONTE_HUB", "127.0.0.1", %d ] },
          "Plugins": [ "%s" ],
          "DicomWeb": {
            "Enable": true,
            "Root": "/dicom-web/",
            "Servers": {
              "ponte": { "Url": "%s", "HttpHeaders": { "Authorization": "Bearer %s" } }
            }
          }
        }
        """
            .formatted(
                aeTitle,
                dicomPort,
                httpPort,
                storage,
                storage,
                hubDimsePort,
                PLUGIN,
                hubDicomweb,
                token));
    ProcessBuilder pb =
        new ProcessBuilder("Orthanc", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
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
    throw new IOException("Orthanc did not start; see " + log + ":\n" + Files.readString(log));
  }

  public static boolean installed() {
    return Files.isExecutable(Path.of("/usr/sbin/Orthanc")) && Files.exists(Path.of(PLUGIN));
  }

  int dicomPort() {
    return dicomPort;
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public Path log() {
    return log;
  }

  // A fresh connection per request: Orthanc closes idle keep-alive connections (see
  // io.ponte.dicom.net.Orthanc).
  private static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http()
        .send(
            HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<byte[]> bytes(String path) throws IOException, InterruptedException {
    return http()
        .send(
            HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return http()
        .send(
            HttpRequest.newBuilder(URI.create(url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(120))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return http()
        .send(
            HttpRequest.newBuilder(URI.create(url() + path))
                .DELETE()
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
