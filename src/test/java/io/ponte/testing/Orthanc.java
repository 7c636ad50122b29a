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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Orthanc from Debian, started for a test from a temp config: a hospital's PACS or a legacy
 * archive. What differs between tests is set on the {@link Builder}: AE title (checked or not),
 * ports, the DICOMweb plugin, HTTP users, {@code DicomModalities} and {@code DicomWeb.Servers}.
 * Always started with TCP_NODELAY=1 like every DICOM peer of the tests; HTTP only on 127.0.0.1.
 */
public final class Orthanc implements AutoCloseable {

  public static final String PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

  private final Process process;
  private final int httpPort;
  private final int dicomPort;
  private final Path log;

  /** Orthanc's files (config, storage, log) go under {@code dir}. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  public static boolean installed() {
    return Files.isExecutable(Path.of("/usr/sbin/Orthanc"));
  }

  public static boolean installedWithDicomWeb() {
    return installed() && Files.exists(Path.of(PLUGIN));
  }

  public static final class Builder {
    private final Path dir;
    private String aeTitle = "ORTHANC";
    private boolean checkCalledAeTitle;
    private int dicomPort;
    private int httpPort;
    private boolean dicomWeb;
    private final Map<String, String> users = new LinkedHashMap<>();
    private final Map<String, String> modalities = new LinkedHashMap<>();
    private final Map<String, String> dicomWebServers = new LinkedHashMap<>();

    private Builder(Path dir) {
      this.dir = dir;
    }

    public Builder aeTitle(String aeTitle) {
      this.aeTitle = aeTitle;
      return this;
    }

    /** Refuses associations whose called AE title is not ours. */
    public Builder checkCalledAeTitle() {
      this.checkCalledAeTitle = true;
      return this;
    }

    /** Fixed ports; by default both are free ports. */
    public Builder dicomPort(int port) {
      this.dicomPort = port;
      return this;
    }

    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    /** Loads the DICOMweb plugin, at {@code /dicom-web/}. */
    public Builder dicomWeb() {
      this.dicomWeb = true;
      return this;
    }

    /** Turns HTTP authentication on (requests without it get 401) with this user. */
    public Builder user(String name, String password) {
      users.put(name, "\"" + password + "\"");
      return this;
    }

    /**
     * A DICOM peer at 127.0.0.1:{@code port} allowed echo, find, get, move (to it) and store; the
     * name is what Orthanc's REST API calls it ({@code /modalities/{name}/...}).
     */
    public Builder modality(String name, String aeTitle, int port) {
      modalities.put(
          name,
          """
          { "AET": "%s", "Host": "127.0.0.1", "Port": %d, "AllowEcho": true, "AllowFind": true,
            "AllowGet": true, "AllowMove": true, "AllowStore": true }"""
              .formatted(aeTitle, port));
      return this;
    }

    /** A DICOMweb server Orthanc can send to, with a bearer token (needs {@link #dicomWeb()}). */
    public Builder dicomWebServer(String name, String url, String bearerToken) {
      dicomWebServers.put(
          name,
          "{ \"Url\": \"%s\", \"HttpHeaders\": { \"Authorization\": \"Bearer %s\" } }"
              .formatted(url, bearerToken));
      return this;
    }

    public Orthanc start() throws IOException, InterruptedException {
      return new Orthanc(this);
    }

    private String config(Path storage, int dicom, int http) {
      String dicomWebSection =
          dicomWeb
              ? """
                ,
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/", "Servers": %s }"""
                  .formatted(object(dicomWebServers))
              : "";
      return """
          {
            "Name": "PonteTestOrthanc",
            "DicomAet": "%s",
            "DicomCheckCalledAet": %s,
            "DicomPort": %d,
            "HttpPort": %d,
            "StorageDirectory": "%s",
            "IndexDirectory": "%s",
            "RemoteAccessAllowed": false,
            "AuthenticationEnabled": %s,
            "RegisteredUsers": %s,
            "DicomModalities": %s,
            "Plugins": [ %s ]%s
          }
          """
          .formatted(
              aeTitle,
              checkCalledAeTitle,
              dicom,
              http,
              storage,
              storage,
              !users.isEmpty(),
              object(users),
              object(modalities),
              dicomWeb ? "\"" + PLUGIN + "\"" : "",
              dicomWebSection);
    }

    private static String object(Map<String, String> members) {
      return members.entrySet().stream()
          .map(e -> "\"" + e.getKey() + "\": " + e.getValue())
          .collect(Collectors.joining(", ", "{ ", " }"));
    }
  }

  private Orthanc(Builder b) throws IOException, InterruptedException {
    httpPort = b.httpPort != 0 ? b.httpPort : FreePorts.next();
    dicomPort = b.dicomPort != 0 ? b.dicomPort : FreePorts.next();
    Path storage = Files.createDirectories(b.dir.resolve("storage"));
    log = b.dir.resolve("orthanc.log");
    Path config = b.dir.resolve("orthanc.json");
    Files.writeString(config, b.config(storage, dicomPort, httpPort));
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

  public int dicomPort() {
    return dicomPort;
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public Path log() {
    return log;
  }

  // A fresh connection per request: Orthanc closes idle keep-alive connections, and a POST sent on
  // one it has just closed fails with "header parser received no bytes" (the JDK client retries
  // only idempotent GETs).
  private static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  private <T> HttpResponse<T> send(
      HttpRequest.Builder request, Duration timeout, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    return http().send(request.timeout(timeout).build(), body);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url() + path));
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path), Duration.ofSeconds(30), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<byte[]> bytes(String path) throws IOException, InterruptedException {
    return send(request(path), Duration.ofSeconds(30), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** POST of a JSON (or plain) body, e.g. {@code /modalities/{name}/store} with an instance id. */
  public HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return send(
        request(path).POST(HttpRequest.BodyPublishers.ofString(body)),
        Duration.ofSeconds(120),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return send(
        request(path).DELETE(), Duration.ofSeconds(30), HttpResponse.BodyHandlers.ofString());
  }

  /** POST /instances; returns Orthanc's instance id. */
  public String upload(Path file) throws IOException, InterruptedException {
    HttpResponse<String> r =
        send(
            request("/instances").POST(HttpRequest.BodyPublishers.ofFile(file)),
            Duration.ofSeconds(60),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("upload failed: " + r.statusCode() + " " + r.body());
    }
    Matcher m = Pattern.compile("\"ID\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
    if (!m.find()) {
      throw new IOException("no ID in " + r.body());
    }
    return m.group(1);
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
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("\"([0-9a-f-]{20,})\"").matcher(get("/instances").body());
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /** The stored file of one instance, as Orthanc holds it. */
  public byte[] file(String instanceId) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = bytes("/instances/" + instanceId + "/file");
    if (r.statusCode() != 200) {
      throw new IOException("GET file of " + instanceId + ": " + r.statusCode());
    }
    return r.body();
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
