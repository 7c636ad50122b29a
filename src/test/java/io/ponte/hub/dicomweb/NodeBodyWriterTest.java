package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ponte.testing.CapturedLog;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerHttpRequest;
import org.jboss.resteasy.reactive.server.spi.ServerHttpResponse;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay's wider write queue reaches the channel through a Vert.x internal: on a real Vert.x
 * HTTP server's connection it applies (an upgrade that moves the internal fails here, not silently
 * in production), and where it cannot it says so and warns once. The blocking copy, the fallback
 * for a body the relay cannot take, runs on a worker only: on an event loop it is refused.
 */
class NodeBodyWriterTest {

  static Vertx vertx;
  static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  HttpConnection connection = request.connection();
                  boolean applied = NodeBodyWriter.widenWriteQueue(connection);
                  // What Netty now calls a full queue, read back from the channel itself.
                  int high =
                      connection instanceof ConnectionBase base
                          ? base.channel().config().getWriteBufferHighWaterMark()
                          : -1;
                  request.response().end(applied + " " + high);
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aVertxServerConnectionGetsTheWiderWriteQueue() throws Exception {
    HttpResponse<String> answer =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.body()).isEqualTo("true " + 4 * NodeBodyWriter.WRITE_BYTES);
    // Netty's default, which the relay would otherwise wait on after every write.
    assertThat(4 * NodeBodyWriter.WRITE_BYTES).isGreaterThan(64 * 1024);
  }

  @Test
  void anotherConnectionIsNotWidenedAndWarnsOnce() {
    HttpConnection foreign =
        (HttpConnection)
            Proxy.newProxyInstance(
                HttpConnection.class.getClassLoader(),
                new Class<?>[] {HttpConnection.class},
                (proxy, method, args) -> null);
    List<LogRecord> warnings;
    try (CapturedLog log = CapturedLog.of(NodeBodyWriter.class)) {
      assertThat(NodeBodyWriter.widenWriteQueue(foreign)).isFalse();
      assertThat(NodeBodyWriter.widenWriteQueue(null)).isFalse();
      warnings = log.atLeast(Level.WARNING);
    }
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getMessage()).contains("not widened");
  }

  @Test
  void theBlockingCopyIsRefusedOnAnEventLoopAndTheNodesBodyReleasedUnread() throws Exception {
    MeterRegistry meters = new SimpleMeterRegistry();
    NodeBodyWriter writer = new NodeBodyWriter(meters);
    NodeBodyInMemory node = new NodeBodyInMemory();
    ByteArrayOutputStream caller = new ByteArrayOutputStream();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              try {
                assertThat(Context.isOnEventLoopThread()).isTrue();
                writer.writeResponse(node.entity(), NodeBody.class, notVertx(caller));
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            });

    assertThat(outcome.get(10, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be copied on an event loop");
    assertThat(node.available()).as("the node's body is not read").isEqualTo(node.size);
    assertThat(node.closed).as("the node's connection is released").isTrue();
    assertThat(caller.size()).isZero();
    assertThat(meters.counter("ponte.hub.node.bodies", "path", "copied").count()).isZero();
  }

  @Test
  void offTheEventLoopTheBodyIsCopiedAndCounted() throws Exception {
    MeterRegistry meters = new SimpleMeterRegistry();
    NodeBodyInMemory node = new NodeBodyInMemory();
    ByteArrayOutputStream caller = new ByteArrayOutputStream();

    new NodeBodyWriter(meters).writeResponse(node.entity(), NodeBody.class, notVertx(caller));

    assertThat(caller.toString(StandardCharsets.UTF_8)).isEqualTo(NodeBodyInMemory.TEXT);
    assertThat(node.closed).isTrue();
    assertThat(meters.counter("ponte.hub.node.bodies", "path", "copied").count()).isEqualTo(1);
  }

  /** A node's body of a few bytes, which says whether it was closed. */
  static final class NodeBodyInMemory extends ByteArrayInputStream {
    static final String TEXT = "the node's body";
    final int size = TEXT.length();
    volatile boolean closed;

    NodeBodyInMemory() {
      super(TEXT.getBytes(StandardCharsets.UTF_8));
    }

    NodeBody entity() {
      return new NodeBody(new NodeResponse("hospital-a", 200, Map.of(), this));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /**
   * A RESTEasy request whose Vert.x request is out of reach (what sends a body to the blocking
   * copy), its response writing into {@code out}.
   */
  private static ResteasyReactiveRequestContext notVertx(OutputStream out) {
    ServerHttpRequest request = proxy(ServerHttpRequest.class, null);
    ServerHttpResponse response = proxy(ServerHttpResponse.class, out);
    return new ResteasyReactiveRequestContext(
        null, null, new ServerRestHandler[0], new ServerRestHandler[0]) {
      @Override
      public ServerHttpRequest serverRequest() {
        return request;
      }

      @Override
      public ServerHttpResponse serverResponse() {
        return response;
      }

      @Override
      protected Executor getEventLoop() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Runnable registerTimer(long millis, Runnable task) {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean resumeExternalProcessing() {
        throw new UnsupportedOperationException();
      }

      @Override
      protected void handleRequestScopeActivation() {}

      @Override
      protected void restarted(boolean keepTarget) {}

      @Override
      protected void handleUnrecoverableError(Throwable throwable) {}
    };
  }

  /** {@code type} answering null (unwrap included) to all but a response stream's creation. */
  private static <T> T proxy(Class<T> type, OutputStream out) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) ->
                method.getName().equals("createResponseOutputStream") ? out : null));
  }
}
