package io.ponte.hub.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ponte.stream.MultipartRelatedReader;
import io.ponte.testing.JsonAnswer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The STOW-RS body as an endpoint reads it (one Part 10 object per instance: preamble, DICM, the
 * meta naming the instance, then the data set as given) and what its answers mean: 200 all stored,
 * 202 with a FailedSOPSequence some refused, an early 401 or a closed port a clear reason; each
 * failure with the kind the pages word ({@link SendFailure}).
 */
class StowUploadTest {

  static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** An endpoint that reads the whole body, keeps its parts, and answers {@code status, json}. */
  private URI endpoint(int status, String json, List<byte[]> parts) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/dicom-web/studies",
        exchange -> {
          String type = exchange.getRequestHeaders().getFirst("Content-Type");
          Matcher m = Pattern.compile("boundary=([^;\\s]+)").matcher(type);
          if (m.find() && type.startsWith("multipart/related")) {
            MultipartRelatedReader reader =
                new MultipartRelatedReader(exchange.getRequestBody(), m.group(1));
            MultipartRelatedReader.Part part;
            while ((part = reader.next()) != null) {
              parts.add(part.content().readAllBytes());
            }
          }
          JsonAnswer.send(exchange, status, "application/dicom+json", json);
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/dicom-web/studies");
  }

  private static InputStream dataset(String marker) {
    return new ByteArrayInputStream(marker.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void eachInstanceIsAPart10ObjectAndA200StoresAll() throws Exception {
    List<byte[]> parts = new ArrayList<>();
    URI url = endpoint(200, "{}", parts);
    try (StowUpload upload = new StowUpload(http, url, "t0ken", Duration.ofSeconds(10))) {
      assertThat(upload.store(CT, "1.2.3.1", EXPLICIT_LE, dataset("FIRST-DATASET")).isSuccess())
          .isTrue();
      upload.store(CT, "1.2.3.2", EXPLICIT_LE, dataset("SECOND-DATASET"));
      StowUpload.Outcome outcome = upload.finish();
      assertThat(outcome.failed()).isZero();
      assertThat(outcome.failure()).isNull();
      assertThat(outcome.reason()).isNull();
    }
    assertThat(parts).hasSize(2);
    for (int i = 0; i < 2; i++) {
      byte[] p = parts.get(i);
      assertThat(new String(Arrays.copyOfRange(p, 128, 132), StandardCharsets.US_ASCII))
          .isEqualTo("DICM");
      String text = new String(p, StandardCharsets.ISO_8859_1);
      assertThat(text).contains(CT, "1.2.3." + (i + 1), EXPLICIT_LE);
      assertThat(text).endsWith(i == 0 ? "FIRST-DATASET" : "SECOND-DATASET");
    }
  }

  @Test
  void a202CountsTheFailedSopSequence() throws Exception {
    String answer =
        "{\"00081198\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.2\"]},"
            + "\"00081197\":{\"vr\":\"US\",\"Value\":[49442]}}]}}";
    URI url = endpoint(202, answer, new ArrayList<>());
    try (StowUpload upload = new StowUpload(http, url, null, Duration.ofSeconds(10))) {
      upload.store(CT, "1.2.3.1", EXPLICIT_LE, dataset("A"));
      upload.store(CT, "1.2.3.2", EXPLICIT_LE, dataset("B"));
      StowUpload.Outcome outcome = upload.finish();
      assertThat(outcome.failed()).isEqualTo(1);
      assertThat(outcome.reason()).contains("answered 202", "1 refused");
      assertThat(outcome.failure()).isEqualTo(SendFailure.NOT_ALL_STORED);
    }
  }

  @Test
  void aRefusalOfTheWholeRequestFailsEveryInstance() throws Exception {
    URI url = endpoint(401, "", new ArrayList<>());
    try (StowUpload upload = new StowUpload(http, url, "expired", Duration.ofSeconds(10))) {
      upload.store(CT, "1.2.3.1", EXPLICIT_LE, dataset("A"));
      StowUpload.Outcome outcome = upload.finish();
      assertThat(outcome.failed()).isEqualTo(1);
      assertThat(outcome.reason()).contains("answered 401");
      assertThat(outcome.failure()).isEqualTo(SendFailure.PACS_UNREACHABLE);
    }
  }

  @Test
  void anEndpointThatIsDownIsAClearReasonNotAHang() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + closed + "/dicom-web/studies");
    AtomicReference<StowUpload> held = new AtomicReference<>();
    assertThatThrownBy(
            () -> {
              try (StowUpload upload = new StowUpload(http, url, null, Duration.ofSeconds(5))) {
                held.set(upload);
                // more than the pipe holds: the writer must be released, not left blocked
                byte[] big = new byte[1 << 20];
                upload.store(CT, "1.2.3.1", EXPLICIT_LE, new ByteArrayInputStream(big));
                upload.finish();
              }
            })
        .isInstanceOf(SendFailedException.class)
        .hasMessageContaining("could not be reached")
        .satisfies(
            e ->
                assertThat(SendFailedException.kindOf((Exception) e))
                    .isEqualTo(SendFailure.PACS_UNREACHABLE));
  }
}
