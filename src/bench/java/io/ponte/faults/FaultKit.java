package io.ponte.faults;

import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.net.AcceptorConfig;
import io.ponte.dicom.net.ClientAssociation;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.PresentationContext;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the scenarios (and the load suite, io.ponte.load) share: instances, STOW-RS and C-STORE
 * senders, tokens, SQL, waiting.
 */
public final class FaultKit {

  static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  static final String EVRLE = AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN;
  static final String DICOM = "multipart/related; type=\"application/dicom\"";
  public static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(3))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private FaultKit() {}

  /** One generated CT instance: its Part 10 file and the bare data set a C-STORE carries. */
  record Instance(String study, String series, String sop, Path file) {
    byte[] part10() {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    byte[] dataset() {
      byte[] all = part10();
      try {
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(all));
        in.readFileMetaInformation();
        return Arrays.copyOfRange(all, (int) in.position(), all.length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** {@code count} instances of one new study (one series), {@code pixelBytes} of pixels each. */
  static List<Instance> study(Path dir, int count, int pixelBytes) throws IOException {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    List<Instance> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String sop = DicomTestFiles.newUid();
      out.add(
          new Instance(
              study,
              series,
              sop,
              DicomTestFiles.ct(dir, study, series, sop, pixelBytes, System.nanoTime() + i)));
    }
    return out;
  }

  // ------------------------------------------------------------------ STOW-RS and C-STORE

  static HttpResponse<String> stow(String nodeUrl, String token, List<Instance> instances)
      throws IOException, InterruptedException {
    List<byte[]> parts = instances.stream().map(Instance::part10).toList();
    DicomTestFiles.Multipart body = DicomTestFiles.multipart(parts);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(nodeUrl + "/dicomweb/studies"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", body.contentType())
            .header("Accept", "application/dicom+json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.body()))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static ClientAssociation associate(int dimsePort) throws IOException {
    return ClientAssociation.open(
        "127.0.0.1",
        dimsePort,
        "FAULTSCU",
        "PONTE",
        List.of(PresentationContext.proposed(1, CT, EVRLE)),
        16384,
        Duration.ofSeconds(20));
  }

  static DimseStatus cstore(ClientAssociation a, Instance i) throws IOException {
    return a.store(CT, i.sop(), EVRLE, new ByteArrayInputStream(i.dataset()));
  }

  /** One association, one instance: the C-STORE status, or the reason no status came. */
  static String cstoreOnce(int dimsePort, Instance i) {
    try (ClientAssociation a = associate(dimsePort)) {
      DimseStatus s = cstore(a, i);
      a.release();
      return String.format("%04X", s.code());
    } catch (IOException | RuntimeException e) {
      return "no status: " + e.getClass().getSimpleName() + " " + e.getMessage();
    }
  }

  // ------------------------------------------------------------------ HTTP

  public static HttpResponse<byte[]> get(String url, String token, String accept) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  public static int status(HttpResponse<?> r) {
    return r == null ? -1 : r.statusCode();
  }

  public static String body(HttpResponse<byte[]> r) {
    return r == null ? "" : new String(r.body(), StandardCharsets.UTF_8);
  }

  static String contentType(HttpResponse<?> r) {
    return r == null ? "" : r.headers().firstValue("Content-Type").orElse("");
  }

  /** The SOP Instance UIDs QIDO-RS lists for a study at {@code base} (a node or the hub). */
  static List<String> qidoInstances(String base, String token, String study) {
    HttpResponse<byte[]> r =
        get(base + "/dicomweb/studies/" + study + "/instances", token, "application/dicom+json");
    if (status(r) == 204) {
      return List.of();
    }
    if (status(r) != 200) {
      throw new IllegalStateException("QIDO-RS answered " + status(r) + ": " + body(r));
    }
    // 00080018 is SOP Instance UID; its Value is the one UID we need.
    Matcher m =
        Pattern.compile("\"00080018\"\\s*:\\s*\\{[^}]*\"Value\"\\s*:\\s*\\[\\s*\"([0-9.]+)\"")
            .matcher(body(r));
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** WADO-RS of one instance at a node: does the answer carry exactly the data set sent? */
  static boolean retrievesIdentical(String nodeUrl, String token, Instance i) {
    HttpResponse<byte[]> r =
        get(
            nodeUrl
                + "/dicomweb/studies/"
                + i.study()
                + "/series/"
                + i.series()
                + "/instances/"
                + i.sop(),
            token,
            DICOM + "; transfer-syntax=" + EVRLE);
    return status(r) == 200 && contains(r.body(), i.dataset());
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int at = 0; at <= haystack.length - needle.length; at++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[at + k] != needle[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ tokens

  /** A password-grant token for a demo user from {@code realmUrl} (the realm, or a proxy of it). */
  public static String userToken(String realmUrl, String user)
      throws IOException, InterruptedException {
    return token(
        realmUrl,
        Map.of(
            "grant_type", "password",
            "client_id", "ponte-web",
            "username", user,
            "password", "ponte-demo"));
  }

  /** A client-credentials token for a demo confidential client (secret {@code <id>-secret}). */
  static String clientToken(String clientId) throws IOException, InterruptedException {
    return token(
        TestServices.REALM_URL,
        Map.of(
            "grant_type",
            "client_credentials",
            "client_id",
            clientId,
            "client_secret",
            clientId + "-secret"));
  }

  private static String token(String realmUrl, Map<String, String> form)
      throws IOException, InterruptedException {
    String encoded =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
    if (r.statusCode() != 200 || !m.find()) {
      String body = r.body() == null ? "" : r.body();
      throw new IOException(
          "token endpoint answered "
              + r.statusCode()
              + ": "
              + body.substring(0, Math.min(200, body.length())));
    }
    return m.group(1);
  }

  // ------------------------------------------------------------------ SQL, waiting, ports

  public static long count(String jdbcUrl, String sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  static List<String[]> rows(String jdbcUrl, String sql, int columns) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String[]> out = new ArrayList<>();
      while (rs.next()) {
        String[] row = new String[columns];
        for (int k = 0; k < columns; k++) {
          row[k] = rs.getString(k + 1);
        }
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  static void execute(String jdbcUrl, String sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until {@code condition} holds; returns the seconds it took, or -1 after {@code limit}.
   */
  public static double await(Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (System.nanoTime() < deadline) {
      boolean ok;
      try {
        ok = condition.getAsBoolean();
      } catch (RuntimeException e) {
        ok = false;
      }
      if (ok) {
        return (System.nanoTime() - start) / 1e9;
      }
      Thread.sleep(500);
    }
    return -1;
  }

  static String sqlList(List<String> values) {
    return values.stream()
        .map(v -> "'" + v.replace("'", "''") + "'")
        .collect(Collectors.joining(","));
  }
}
