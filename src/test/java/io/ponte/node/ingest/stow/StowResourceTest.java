package io.ponte.node.ingest.stow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.NodeStorageConfig;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.DicomTestFiles.Multipart;
import io.ponte.testing.Management;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class StowResourceTest {

  static final String INGEST = "hospital-a-ingest";
  static final int CANNOT_UNDERSTAND = 0xC000;
  static final int DUPLICATE_SOP_INSTANCE = 0x0111;
  static final int DATA_SET_DOES_NOT_MATCH = 0xA900;

  @Inject NodeStorage storage;

  @Inject InstanceIndex index;

  @Inject io.ponte.node.storage.BlobUploadWorker uploader;

  @TempDir Path dir;

  String study;
  String series;

  @BeforeEach
  void freshStudy() {
    study = DicomTestFiles.newUid();
    series = DicomTestFiles.newUid();
  }

  private Path ct(int pixelBytes, long seed) throws IOException {
    return DicomTestFiles.ct(
        dir.resolve("gen"), study, series, DicomTestFiles.newUid(), pixelBytes, seed);
  }

  static ValidatableResponse post(String path, Multipart body, String token) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(body.contentType())
        .body(body.body())
        .post(path)
        .then();
  }

  static ValidatableResponse post(Multipart body) {
    return post("/dicomweb/studies", body, Tokens.client(INGEST));
  }

  private List<Path> incomingFiles() throws IOException {
    Path incoming = storage.layout().incoming();
    if (!Files.isDirectory(incoming)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(incoming)) {
      return files.toList();
    }
  }

  private static String sopOf(Path file) throws IOException {
    // file names made by DicomTestFiles start with the SOP Instance UID
    return file.getFileName().toString().replaceAll("(\\.dcm|-.*)$", "");
  }

  @Test
  void countsStoredDuplicateAndRefusedInstancesOnTheMetricsEndpoint() throws Exception {
    Path file = ct(3_000, 21);
    post(DicomTestFiles.multipartOfFiles(List.of(file, file))).statusCode(200);
    post(DicomTestFiles.multipart(List.of("junk".getBytes()))).statusCode(409);
    String metrics =
        given().get(Management.url("/q/metrics")).then().statusCode(200).extract().asString();
    assertThat(metrics)
        .containsPattern("ponte_node_instances_stored_total(\\{[^}]*\\})? [1-9]")
        .containsPattern("ponte_node_instances_stored_bytes_total(\\{[^}]*\\})? [1-9]")
        .containsPattern("ponte_node_instances_duplicates_total(\\{[^}]*\\})? [1-9]")
        .containsPattern(
            "ponte_node_instances_refused_total\\{[^}]*reason=\"INVALID_DATA\"[^}]*\\} [1-9]")
        .contains("ponte_node_upload_backlog");
  }

  @Nested
  class WhenTheInstancesAreGood {

    @Test
    void storesEachInstanceByteExactIndexesItAndUploadsItToBlob() throws Exception {
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        files.add(ct(40_000 + i * 1000, i));
      }
      files.add(DicomTestFiles.sample("CT_small.dcm", dir, study, series, DicomTestFiles.newUid()));
      files.add(
          DicomTestFiles.sample(
              "MR_small.dcm", dir, study, DicomTestFiles.newUid(), DicomTestFiles.newUid()));

      post(DicomTestFiles.multipartOfFiles(files))
          .statusCode(200)
          .contentType(startsWith("application/dicom+json"))
          .body("'00081199'.Value", hasSize(5))
          .body("'00081198'", equalTo(null))
          .body("'00081199'.Value[0].'00081190'.Value[0]", startsWith("http"));

      for (Path file : files) {
        String sop = sopOf(file);
        InstanceIndex.Row row = index.find(sop).orElseThrow();
        assertThat(row.studyInstanceUid()).isEqualTo(study);
        assertThat(row.sha256()).isEqualTo(DicomTestFiles.sha256(file));
        assertThat(row.size()).isEqualTo(Files.size(file));
        Path cached = storage.layout().resolve(row.cachePath());
        assertThat(cached).startsWith(storage.layout().root().resolve(study));
        assertThat(DicomTestFiles.sha256(cached)).isEqualTo(DicomTestFiles.sha256(file));
      }
      assertThat(incomingFiles()).isEmpty();

      // The scheduled worker uploads; poll until every instance is UPLOADED, then read Blob back.
      BlobContainerClient container =
          new BlobServiceClientBuilder()
              .connectionString(NodeStorageConfig.AZURITE)
              .buildClient()
              .getBlobContainerClient(storage.containerName());
      long deadline = System.currentTimeMillis() + 30_000;
      for (Path file : files) {
        String sop = sopOf(file);
        InstanceIndex.Row row = index.find(sop).orElseThrow();
        while (!InstanceIndex.UPLOADED.equals(row.blobState())) {
          assertThat(System.currentTimeMillis()).as("uploaded within 30 s").isLessThan(deadline);
          Thread.sleep(200);
          row = index.find(sop).orElseThrow();
        }
        assertThat(row.blobName())
            .isEqualTo(study + "/" + row.seriesInstanceUid() + "/" + sop + ".dcm");
        var blob = container.getBlobClient(row.blobName());
        try (InputStream in = blob.openInputStream()) {
          assertThat(DicomTestFiles.sha256(in)).isEqualTo(DicomTestFiles.sha256(file));
        }
        assertThat(blob.getProperties().getMetadata()).containsEntry("sha256", row.sha256());
      }
    }

    @Test
    void acknowledgesAnIdenticalResendWithoutStoringItTwice() throws Exception {
      Path file = ct(30_000, 7);
      String sop = sopOf(file);
      post(DicomTestFiles.multipartOfFiles(List.of(file))).statusCode(200);
      Path cached = storage.layout().resolve(index.find(sop).orElseThrow().cachePath());
      long modified = Files.getLastModifiedTime(cached).toMillis();
      Object inode = Files.readAttributes(cached, "unix:ino").get("ino");

      post(DicomTestFiles.multipartOfFiles(List.of(file, file)))
          .statusCode(200)
          .body("'00081199'.Value", hasSize(2))
          .body("'00081199'.Value[0].'00081155'.Value[0]", equalTo(sop));

      assertThat(Files.getLastModifiedTime(cached).toMillis()).isEqualTo(modified);
      assertThat(Files.readAttributes(cached, "unix:ino").get("ino")).isEqualTo(inode);
      assertThat(DicomTestFiles.sha256(cached)).isEqualTo(DicomTestFiles.sha256(file));
      try (Stream<Path> inSeries = Files.list(cached.getParent())) {
        assertThat(inSeries.count()).isEqualTo(1);
      }
      assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void answersDicomXmlWhenAsked() throws Exception {
      Path file = ct(10_000, 3);
      Multipart body = DicomTestFiles.multipartOfFiles(List.of(file));
      String xml =
          given()
              .auth()
              .oauth2(Tokens.client(INGEST))
              .contentType(body.contentType())
              .accept("application/dicom+xml")
              .body(body.body())
              .post("/dicomweb/studies")
              .then()
              .statusCode(200)
              .contentType(startsWith("application/dicom+xml"))
              .extract()
              .asString();
      assertThat(xml)
          .contains("NativeDicomModel", "keyword=\"ReferencedSOPSequence\"", sopOf(file));
    }
  }

  @Nested
  class WhenAnInstanceIsBad {

    @Test
    void refusesADifferentObjectUnderAnAlreadyStoredUidAndKeepsTheOriginal() throws Exception {
      String sop = DicomTestFiles.newUid();
      Path original = DicomTestFiles.ct(dir.resolve("a"), study, series, sop, 20_000, 1);
      Path impostor = DicomTestFiles.ct(dir.resolve("b"), study, series, sop, 20_000, 2);
      post(DicomTestFiles.multipartOfFiles(List.of(original))).statusCode(200);

      post(DicomTestFiles.multipartOfFiles(List.of(impostor)))
          .statusCode(409)
          .body("'00081198'.Value", hasSize(1))
          .body("'00081198'.Value[0].'00081155'.Value[0]", equalTo(sop))
          .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(DUPLICATE_SOP_INSTANCE));

      InstanceIndex.Row row = index.find(sop).orElseThrow();
      assertThat(row.sha256()).isEqualTo(DicomTestFiles.sha256(original));
      assertThat(DicomTestFiles.sha256(storage.layout().resolve(row.cachePath())))
          .isEqualTo(DicomTestFiles.sha256(original));
      assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void refusesATruncatedInstanceAndIndexesNothing() throws Exception {
      Path file = ct(50_000, 11);
      byte[] whole = Files.readAllBytes(file);
      byte[] truncated = Arrays.copyOf(whole, whole.length - 10_000); // cut inside Pixel Data
      post(DicomTestFiles.multipart(List.of(truncated)))
          .statusCode(409)
          .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(CANNOT_UNDERSTAND))
          .body("'00081198'.Value[0].'00081155'.Value[0]", equalTo(sopOf(file)));
      assertThat(index.find(sopOf(file))).isEmpty();
      assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void refusesGarbageAndIndexesNothing() throws Exception {
      byte[] garbage = new byte[5000];
      new Random(42).nextBytes(garbage);
      post(DicomTestFiles.multipart(List.of(garbage)))
          .statusCode(409)
          .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(CANNOT_UNDERSTAND));
      assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void refusesAHeaderCutShortAndIndexesNothing() throws Exception {
      Path file = ct(10_000, 12);
      byte[] header = Arrays.copyOf(Files.readAllBytes(file), 300);
      post(DicomTestFiles.multipart(List.of(header)))
          .statusCode(409)
          .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(CANNOT_UNDERSTAND));
      assertThat(index.find(sopOf(file))).isEmpty();
      assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void refusesAnInvalidUidAndIndexesNothing() throws Exception {
      String badSop = "1.2.840.01.5"; // a component with a leading zero
      Path file = DicomTestFiles.ct(dir.resolve("bad"), study, series, badSop, 5_000, 5);
      post(DicomTestFiles.multipartOfFiles(List.of(file)))
          .statusCode(409)
          .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(CANNOT_UNDERSTAND));
      assertThat(index.find(badSop)).isEmpty();
      assertThat(Files.exists(storage.layout().root().resolve(study))).isFalse();
      assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void refusesFileMetaThatDisagreesWithTheDataSet() throws Exception {
      Path file = ct(5_000, 6);
      String sop = sopOf(file);
      byte[] bytes = Files.readAllBytes(file);
      // Change one digit of the UID's first occurrence: Media Storage SOP Instance UID in the meta.
      int at = indexOf(bytes, sop.getBytes());
      assertThat(at).isBetween(132, 400);
      int last = at + sop.length() - 1;
      bytes[last] = (byte) (bytes[last] == '7' ? '8' : '7');
      post(DicomTestFiles.multipart(List.of(bytes)))
          .statusCode(409)
          .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(CANNOT_UNDERSTAND));
      assertThat(index.find(sop)).isEmpty();
      assertThat(incomingFiles()).isEmpty();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i <= haystack.length - needle.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    @Test
    void refusesAnInstanceOfAnotherStudyThanThePath() throws Exception {
      Path file = ct(5_000, 8);
      String otherStudy = DicomTestFiles.newUid();
      post(
              "/dicomweb/studies/" + otherStudy,
              DicomTestFiles.multipartOfFiles(List.of(file)),
              Tokens.client(INGEST))
          .statusCode(409)
          .body("'00081190'.Value[0]", startsWith("http"))
          .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(DATA_SET_DOES_NOT_MATCH));
      assertThat(index.find(sopOf(file))).isEmpty();
      assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void storesTheGoodAndReportsTheBadWith202() throws Exception {
      Path good = ct(5_000, 9);
      byte[] garbage = "definitely not DICOM".getBytes();
      post(DicomTestFiles.multipart(List.of(Files.readAllBytes(good), garbage)))
          .statusCode(202)
          .body("'00081199'.Value", hasSize(1))
          .body("'00081198'.Value", hasSize(1));
      assertThat(index.find(sopOf(good))).isPresent();
    }

    @Test
    void storesToTheStudyInThePath() throws Exception {
      Path file = ct(5_000, 10);
      post(
              "/dicomweb/studies/" + study,
              DicomTestFiles.multipartOfFiles(List.of(file)),
              Tokens.client(INGEST))
          .statusCode(200)
          .body("'00081190'.Value[0]", endsWith("/dicomweb/studies/" + study))
          .body(
              "'00081199'.Value[0].'00081190'.Value[0]",
              endsWith(
                  "/dicomweb/studies/"
                      + study
                      + "/series/"
                      + series
                      + "/instances/"
                      + sopOf(file)));
    }
  }

  @Nested
  class WhenTheRequestIsBad {

    @Test
    void answers415ForAnotherMediaType() {
      given()
          .auth()
          .oauth2(Tokens.client(INGEST))
          .contentType("application/json")
          .body("{}")
          .post("/dicomweb/studies")
          .then()
          .statusCode(415)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("ponte:unsupported-media-type"));
    }

    /**
     * A refusal before the body is read (here 415) must still reach a client that is sending a
     * large body, and the rest of that body must be drained, not left paused: else the sender
     * blocks on a full TCP window and the connection is lost for the next request.
     */
    @Test
    void answersARefusalWhileALargeBodyIsStillComingAndKeepsTheConnection() throws Exception {
      long length = 64L * 1024 * 1024;
      try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /dicomweb/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + Tokens.client(INGEST)
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        CompletableFuture<Void> sent =
            CompletableFuture.runAsync(
                () -> {
                  byte[] chunk = new byte[64 * 1024];
                  try {
                    for (long n = 0; n < length; n += chunk.length) {
                      out.write(chunk);
                    }
                    out.flush();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        assertThat(in.readLine()).startsWith("HTTP/1.1 415");
        skipResponse(in);
        sent.get(60, TimeUnit.SECONDS); // the whole body went through: drained, not stuck
        out.write(
            "GET /dicomweb/studies HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // Answered on the same connection (no token: 401).
        assertThat(in.readLine()).startsWith("HTTP/1.1 401");
      }
    }

    /** Reads one response's headers and its Content-Length body. */
    private static void skipResponse(BufferedReader in) throws IOException {
      int length = 0;
      String line;
      while (!(line = in.readLine()).isEmpty()) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      for (int i = 0; i < length; i++) {
        in.read();
      }
    }

    @Test
    void answers415ForMetadataAndBulkDataParts() {
      given()
          .auth()
          .oauth2(Tokens.client(INGEST))
          .contentType("multipart/related; type=\"application/dicom+json\"; boundary=x")
          .body("--x--".getBytes())
          .post("/dicomweb/studies")
          .then()
          .statusCode(415);
    }

    @Test
    void answers400ForABodyWithoutTheBoundary() {
      given()
          .auth()
          .oauth2(Tokens.client(INGEST))
          .contentType("multipart/related; type=\"application/dicom\"; boundary=abc")
          .body("this is not multipart at all".getBytes())
          .post("/dicomweb/studies")
          .then()
          .statusCode(400)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("ponte:bad-request"));
    }

    @Test
    void answers400WithoutABoundaryParameter() {
      given()
          .auth()
          .oauth2(Tokens.client(INGEST))
          .contentType("multipart/related; type=\"application/dicom\"")
          .body("--x--".getBytes())
          .post("/dicomweb/studies")
          .then()
          .statusCode(400);
    }

    @Test
    void answers400ForAnInvalidStudyUidInThePath() throws Exception {
      post(
              "/dicomweb/studies/1.2.abc",
              DicomTestFiles.multipartOfFiles(List.of(ct(1000, 1))),
              Tokens.client(INGEST))
          .statusCode(400)
          .body("code", equalTo("ponte:invalid-uid"));
    }

    @Test
    void answers400ForABodyCutOffInsideItsOnlyPart() throws Exception {
      Path file = ct(20_000, 2);
      Multipart whole = DicomTestFiles.multipartOfFiles(List.of(file));
      byte[] cut = Arrays.copyOf(whole.body(), whole.body().length - 5_000);
      given()
          .auth()
          .oauth2(Tokens.client(INGEST))
          .contentType(whole.contentType())
          .body(cut)
          .post("/dicomweb/studies")
          .then()
          .statusCode(400)
          .contentType(startsWith("application/problem+json"));
      assertThat(index.find(sopOf(file))).isEmpty();
      assertThat(incomingFiles()).isEmpty();
    }

    @Test
    void keepsWhatWasStoredWhenTheBodyBreaksLater() throws Exception {
      Path first = ct(5_000, 3);
      Path second = ct(20_000, 4);
      Multipart whole = DicomTestFiles.multipartOfFiles(List.of(first, second));
      byte[] cut = Arrays.copyOf(whole.body(), whole.body().length - 5_000);
      given()
          .auth()
          .oauth2(Tokens.client(INGEST))
          .contentType(whole.contentType())
          .body(cut)
          .post("/dicomweb/studies")
          .then()
          .statusCode(202)
          .body("'00081199'.Value[0].'00081155'.Value[0]", equalTo(sopOf(first)))
          .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(CANNOT_UNDERSTAND));
      assertThat(index.find(sopOf(first))).isPresent();
      assertThat(index.find(sopOf(second))).isEmpty();
      assertThat(incomingFiles()).isEmpty();
    }
  }

  @Nested
  class WhoMayStore {

    @Test
    void deniesAnotherSitesIngestClient() throws Exception {
      Path file = ct(1000, 1);
      post(
              "/dicomweb/studies",
              DicomTestFiles.multipartOfFiles(List.of(file)),
              Tokens.client("hospital-b-ingest"))
          .statusCode(403)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("ponte:wrong-site"));
      assertThat(index.find(sopOf(file))).isEmpty();
    }

    @Test
    void deniesAClinician() throws Exception {
      // Tokens meant for the hub (aud ponte-hub) are not signed in at a node at all: 401, not 403.
      post(
              "/dicomweb/studies",
              DicomTestFiles.multipartOfFiles(List.of(ct(1000, 1))),
              Tokens.user("bruno.hospa"))
          .statusCode(401)
          .contentType(startsWith("application/problem+json"));
    }

    @Test
    void deniesTheNodesOwnServiceAccount() throws Exception {
      // Tokens meant for the hub (aud ponte-hub) are not signed in at a node at all: 401, not 403.
      post(
              "/dicomweb/studies",
              DicomTestFiles.multipartOfFiles(List.of(ct(1000, 1))),
              Tokens.client("ponte-node-hospital-a"))
          .statusCode(401);
    }

    @Test
    void deniesAnonymousCallers() throws Exception {
      Multipart body = DicomTestFiles.multipartOfFiles(List.of(ct(1000, 1)));
      given()
          .contentType(body.contentType())
          .body(body.body())
          .post("/dicomweb/studies")
          .then()
          .statusCode(401)
          .contentType(startsWith("application/problem+json"));
    }
  }
}
