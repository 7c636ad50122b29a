package io.ponte.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orthanc from Debian (with its DICOMweb plugin) as a legacy archive to migrate from: AE title
 * {@code aeTitle}, which it checks (a wrong called AE title is refused), one known peer allowed to
 * query and retrieve (C-FIND, C-GET, and C-MOVE to that peer's own port), DICOMweb at {@code
 * /dicom-web/}, and, when {@code password} is set, HTTP authentication (requests without it get
 * 401). Started with TCP_NODELAY=1 like every DICOM peer of the tests.
 */
public final class OrthancArchive implements AutoCloseable {

  public static final String PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

  private final Process process;
  private final int httpPort;
  private final int dicomPort;
  private final Path log;

  /**
   * @param peerAeTitle the AE title allowed to query and retrieve, which is also the C-MOVE
   *     destination at 127.0.0.1:{@code peerPort}
   * @param password null for an open archive; otherwise user {@code ponte} with this password
   */
  public OrthancArchive(Path dir, String aeTitle, String peerAeTitle, int peerPort, String password)
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
          "Name": "LegacyArchive",
          "DicomAet": "%s",
          "DicomCheckCalledAet": true,
          "DicomPort": %d,
          "HttpPort": %d,
          "StorageDirectory": "%s",
          "IndexDirectory": "%s",
          "RemoteAccessAllowed": false,
          "AuthenticationEnabled": %s,
          "RegisteredUsers": { "ponte": "%s" },
          "DicomModalities": {
            "migrate": { "AET": "%s", "Host": "127.0.0.1", "Port": %d,
                         "AllowEcho": true, "AllowFind": true, "AllowGet": true,
                         "AllowMove": true, "AllowStore": true }
          },
          "Plugins": [ "%s" ],
          "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
        }
        """
            .formatted(
                aeTitle,
                dicomPort,
                httpPort,
                storage,
                storage,
                password != null,
                password == null ? "unused" : password,
                peerAeTitle,
                peerPort,
                PLUGIN));
    ProcessBuilder pb =
        new ProcessBuilder("Orthanc", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("TCP_NODELAY", "1");
    process = pb.start();
    for (int i = 0; i < 200; i++) {
      try {
        int status = get("/system").statusCode();
        if (status == 200 || status == 401) {
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

  public int dicomPort() {
    return dicomPort;
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public Path log() {
    return log;
  }

  /** Sends files with dcmtk's storescu, as a modality would. */
  public void storescu(String callingAeTitle, String calledAeTitle, List<Path> files)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "storescu",
                "-aet",
                callingAeTitle,
                "-aec",
                calledAeTitle,
                "127.0.0.1",
                Integer.toString(dicomPort)));
    files.forEach(f -> command.add(f.toString()));
    Dcmtk.Result r = Dcmtk.run(command);
    if (!r.ok()) {
      throw new IOException("storescu failed (" + r.exitCode() + "): " + r.output());
    }
  }

  /** Orthanc's ids of every instance it holds. */
  public List<String> instanceIds() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/instances");
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("\"([0-9a-f-]{20,})\"").matcher(r.body());
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /** The stored file of one instance, as Orthanc holds it. */
  public byte[] file(String instanceId) throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        http()
            .send(
                HttpRequest.newBuilder(URI.create(url() + "/instances/" + instanceId + "/file"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("GET file of " + instanceId + ": " + r.statusCode());
    }
    return r.body();
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
