package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.ponte.error.ErrorCode;
import io.ponte.error.Problem;
import io.ponte.error.ProblemException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hub's client towards nodes, against a fake node that misbehaves on purpose. */
@QuarkusTest
@TestProfile(FakeNodeProfile.class)
class NodeClientTest {

  private static FakeNode node;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject NodeClient client;

  @Inject Tracer tracer;

  @Inject Vertx vertx;

  @BeforeAll
  static void startFakeNode() throws Exception {
    node = new FakeNode(FakeNodeProfile.FAKE_PORT);
  }

  @AfterAll
  static void stopFakeNode() throws Exception {
    node.close();
  }

  @Test
  void streamsTheNodesBodyByteForByte() throws Exception {
    long size = 48L * 1024 * 1024 + 17;
    NodeResponse r = client.get("fake-site", "/bytes?size=" + size + "&seed=7", List.of("*/*"));
    assertThat(r.status()).isEqualTo(200);
    MessageDigest got = MessageDigest.getInstance("SHA-256");
    long n = 0;
    try (InputStream in = r.body()) {
      byte[] buf = new byte[8192];
      int k;
      while ((k = in.read(buf)) >= 0) {
        got.update(buf, 0, k);
        n += k;
      }
    }
    assertThat(n).isEqualTo(size);
    assertThat(got.digest()).isEqualTo(expectedDigest(size, 7));
  }

  @Test
  void aRequestFromAnEventLoopGoesOverAConnectionOfThatLoop() throws Exception {
    // Two contexts on different event loops, one request from each in turn: the second must not
    // get the first's idle connection (its chunks would cross threads on their way to the caller).
    // (getOrCreateContext would give this thread its one sticky context every time.)
    VertxInternal loops = (VertxInternal) vertx;
    ContextInternal first = loops.createEventLoopContext();
    ContextInternal second = loops.createEventLoopContext();
    for (int i = 0; second.nettyEventLoop() == first.nettyEventLoop() && i < 16; i++) {
      second = loops.createEventLoopContext();
    }
    assertThat(second.nettyEventLoop()).isNotSameAs(first.nettyEventLoop());
    for (ContextInternal context : List.of(first, second, first)) {
      // As a hub resource calls it: on a worker thread, in the context of its request's loop.
      PendingNodeResponse sent =
          context
              .executeBlocking(
                  () -> client.start("fake-site", "/bytes?size=10&seed=1", List.of("*/*"), null),
                  false)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      NodeResponse r = sent.await();
      HttpClientResponse response = (HttpClientResponse) ((NodeBodyStream) r.body()).takeSource();
      ConnectionBase connection = (ConnectionBase) response.request().connection();
      assertThat(connection.channel().eventLoop()).isSameAs(context.nettyEventLoop());
      CompletableFuture<Void> ended = new CompletableFuture<>();
      response.handler(b -> {}).endHandler(v -> ended.complete(null)).resume();
      ended.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void keepsNodeInternalResponseHeadersBehind() throws Exception {
    NodeResponse r = client.get("fake-site", "/bytes?size=10&seed=1", List.of("*/*"));
    r.body().close();
    assertThat(r.headers())
        .containsKeys("content-type", "content-length")
        .doesNotContainKeys("set-cookie", "server", "x-node-address");
  }

  @Test
  void sendsOnlyTheHubsOwnTokenAndAccept() throws Exception {
    NodeResponse r = client.get("fake-site", "/headers", List.of("application/dicom+json"));
    JsonNode seen;
    try (InputStream in = r.body()) {
      seen = JSON.readTree(in);
    }
    assertThat(seen.path("accept").asText()).isEqualTo("application/dicom+json");
    String bearer = seen.path("authorization").asText();
    assertThat(bearer).startsWith("Bearer ");
    JsonNode claims =
        JSON.readTree(Base64.getUrlDecoder().decode(bearer.substring(7).split("\\.")[1]));
    assertThat(claims.path("azp").asText()).isEqualTo("ponte-hub");
    assertThat(claims.path("realm_access").path("roles").toString()).contains("hub");
    List<String> names = iterable(seen);
    assertThat(names)
        .allMatch(
            h ->
                List.of("accept", "authorization", "host", "content-length", "connection")
                    .contains(h),
            "only Accept, Authorization and transport headers");
  }

  @Test
  void carriesTheCurrentTraceToTheNode() throws Exception {
    Span span = tracer.spanBuilder("retrieve").startSpan();
    NodeResponse r;
    try (Scope scope = span.makeCurrent()) {
      r = client.get("fake-site", "/headers", List.of("application/dicom+json"));
    } finally {
      span.end();
    }
    JsonNode seen;
    try (InputStream in = r.body()) {
      seen = JSON.readTree(in);
    }
    assertThat(seen.path("traceparent").asText())
        .matches("00-" + span.getSpanContext().getTraceId() + "-[0-9a-f]{16}-0[01]");
  }

  @Test
  void namesTheSiteWhenItsNodeIsDown() {
    assertThatThrownBy(() -> client.get("down-site", "/studies", List.of("*/*")))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.SITE_UNAVAILABLE);
              assertThat(e.extensions()).containsEntry("site", "down-site");
            });
  }

  @Test
  void answersTimeoutWhenTheNodeStaysSilent() {
    assertThatThrownBy(() -> client.get("fake-site", "/silent", List.of("*/*")))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.SITE_TIMEOUT);
              assertThat(e.extensions()).containsEntry("site", "fake-site");
            });
  }

  @Test
  void abortsABodyThatStallsMidway() throws Exception {
    NodeResponse r = client.get("fake-site", "/stall", List.of("*/*"));
    assertThat(r.status()).isEqualTo(200);
    try (InputStream in = r.body()) {
      assertThatThrownBy(() -> in.transferTo(java.io.OutputStream.nullOutputStream()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void passesTheNodesNotFoundOnAsNotFoundNamingTheSite() throws Exception {
    Response res = NodeResponses.error(client.get("fake-site", "/missing", List.of("*/*")));
    assertThat(res.getStatus()).isEqualTo(404);
    Problem p = (Problem) res.getEntity();
    assertThat(p.code()).isEqualTo("ponte:not-found");
    assertThat(p.any()).containsEntry("site", "fake-site");
    assertThat(p.detail()).contains("no such study");
  }

  @Test
  void treatsANodeRefusingTheHubAsSiteUnavailable() {
    Response res = NodeResponses.error(client.get("fake-site", "/refuses-hub", List.of("*/*")));
    assertThat(res.getStatus()).isEqualTo(503);
    assertThat(((Problem) res.getEntity()).code()).isEqualTo("ponte:site-unavailable");
  }

  @Test
  void refusesAnUnknownSite() {
    assertThatThrownBy(() -> client.get("nowhere", "/studies", List.of("*/*")))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SITE_UNAVAILABLE));
  }

  private static byte[] expectedDigest(long size, long seed) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    Random random = new Random(seed);
    long left = size;
    while (left > 0) {
      byte[] chunk = new byte[(int) Math.min(64 * 1024, left)];
      random.nextBytes(chunk);
      d.update(chunk);
      left -= chunk.length;
    }
    return d.digest();
  }

  private static List<String> iterable(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
