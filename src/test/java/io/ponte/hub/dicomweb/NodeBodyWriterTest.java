package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.CapturedLog;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay's wider write queue reaches the channel through a Vert.x internal: on a real Vert.x
 * HTTP server's connection it applies (an upgrade that moves the internal fails here, not silently
 * in production), and where it cannot it says so and warns once.
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
}
