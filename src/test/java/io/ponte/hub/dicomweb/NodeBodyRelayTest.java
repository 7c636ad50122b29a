package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.testing.FakeReadStream;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event-loop relay on a real Vert.x server, with a node that sends as fast as it is allowed: a
 * caller that does not read holds the node back (bounded memory), one that reads gets every byte,
 * one that goes away stops the node, and a node that breaks off cuts the caller.
 */
class NodeBodyRelayTest {

  static final int CHUNK = 64 * 1024;

  /**
   * Short, so that a silent node is cut quickly, and shorter than the wait of the caller that does
   * not read: the node paused for the caller is not silent.
   */
  static final long READ_TIMEOUT_MILLIS = 300;

  Vertx vertx;
  HttpServer server;
  FastNode node;
  final AtomicBoolean nodeAborted = new AtomicBoolean();
  final CountDownLatch done = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  NodeBodyWriter.widenWriteQueue(request.connection());
                  NodeResponse head =
                      new NodeResponse(
                          "hospital-a",
                          200,
                          Map.of(
                              "content-type",
                              "application/octet-stream",
                              "content-length",
                              Long.toString(node.total)),
                          InputStream.nullInputStream());
                  NodeBodyStream body =
                      new NodeBodyStream(
                          node,
                          () -> {
                            // As a reset request does: the node sends nothing more.
                            nodeAborted.set(true);
                            node.pause();
                          },
                          () -> null,
                          READ_TIMEOUT_MILLIS);
                  if (node.failsBeforeTheRelay) {
                    node.exceptionHandler.handle(new IOException("connection reset"));
                  }
                  NodeBodyRelay relay =
                      new NodeBodyRelay(
                          head, body, body.takeSource(), request.response(), done::countDown);
                  request.response().closeHandler(v -> relay.callerGone());
                  relay.start();
                })
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aCallerThatDoesNotReadHoldsTheNodeBackThenGetsEveryByte() throws Exception {
    node = new FastNode(256L * 1024 * 1024, -1);
    try (Socket caller = get()) {
      InputStream in = caller.getInputStream();
      Thread.sleep(1500);
      // The widened queue (1 MB) plus what the loopback socket buffers hold: far below 256 MB.
      assertThat(node.sent.get()).isLessThan(32L * 1024 * 1024);
      assertThat(node.paused).isTrue();
      long body = readBody(in);
      assertThat(body).isEqualTo(node.total);
    }
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(nodeAborted).isFalse();
  }

  @Test
  void aCallerThatGoesAwayStopsTheNode() throws Exception {
    node = new FastNode(Long.MAX_VALUE / 2, -1);
    try (Socket caller = get()) {
      caller.getInputStream().readNBytes(2 * 1024 * 1024);
    }
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(nodeAborted).isTrue();
  }

  @Test
  void aNodeThatBreaksOffCutsTheCaller() throws Exception {
    node = new FastNode(8L * 1024 * 1024, 1024 * 1024);
    assertTheCallerIsCutAndTheNodeReset();
  }

  @Test
  void aNodeThatGoesSilentMidwayIsCutAfterTheReadTimeout() throws Exception {
    node = new FastNode(8L * 1024 * 1024, -1);
    node.silentAfter = 1024 * 1024;
    assertTheCallerIsCutAndTheNodeReset();
  }

  @Test
  void aNodeThatBrokeOffBeforeTheRelayStartedCutsTheCaller() throws Exception {
    node = new FastNode(8L * 1024 * 1024, -1);
    node.failsBeforeTheRelay = true;
    assertTheCallerIsCutAndTheNodeReset();
    assertThat(node.sent).hasValue(0);
  }

  @Test
  void aNodeWhoseAnswerEndedUnheardCutsTheCaller() throws Exception {
    // Vert.x refuses handlers on an answer that has ended: the relay must not die on it.
    node = new FastNode(8L * 1024 * 1024, -1);
    node.refusesHandlers = true;
    assertTheCallerIsCutAndTheNodeReset();
  }

  /**
   * The caller's answer ends before its Content-Length with the connection (never a clean short
   * answer, never a wait for the rest), and the relay resets the node's request.
   */
  private void assertTheCallerIsCutAndTheNodeReset() throws Exception {
    try (Socket caller = get()) {
      InputStream in = caller.getInputStream();
      assertThatThrownBy(() -> readBody(in))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(java.net.SocketTimeoutException.class);
    }
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(nodeAborted).isTrue();
  }

  private Socket get() throws IOException {
    Socket s = new Socket("127.0.0.1", server.actualPort());
    // A test that would otherwise wait forever fails instead.
    s.setSoTimeout(20_000);
    s.getOutputStream()
        .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return s;
  }

  /** The body's length after the head; an IOException when it ends before its Content-Length. */
  private static long readBody(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("no head");
      }
      head.append((char) c);
    }
    long length =
        Long.parseLong(head.toString().replaceAll("(?is).*content-length: *(\\d+).*", "$1").trim());
    long n = 0;
    byte[] buf = new byte[CHUNK];
    while (n < length) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, length - n));
      if (r < 0) {
        throw new IOException("cut after " + n + " of " + length + " bytes");
      }
      n += r;
    }
    return n;
  }

  /**
   * A node that sends a chunk whenever it is not paused, on its own event loop (as the node
   * client's connection does), and optionally fails after {@code failAfter} bytes.
   */
  final class FastNode extends FakeReadStream {
    final long total;
    final long failAfter;
    final AtomicLong sent = new AtomicLong();
    final Context context = vertx.getOrCreateContext();
    final Buffer chunk = Buffer.buffer(new byte[CHUNK]);
    long silentAfter = -1;
    boolean failsBeforeTheRelay;
    boolean refusesHandlers;

    FastNode(long total, long failAfter) {
      this.total = total;
      this.failAfter = failAfter;
    }

    @Override
    public ReadStream<Buffer> handler(io.vertx.core.Handler<Buffer> h) {
      if (refusesHandlers) {
        throw new IllegalStateException("Response already ended");
      }
      return super.handler(h);
    }

    @Override
    public ReadStream<Buffer> resume() {
      super.resume();
      context.runOnContext(v -> pump());
      return this;
    }

    private void pump() {
      // A burst per turn of the event loop, as a socket read delivers.
      for (int i = 0; i < 16 && !paused; i++) {
        long at = sent.get();
        if (failAfter >= 0 && at >= failAfter) {
          exceptionHandler.handle(new IOException("the node broke off"));
          return;
        }
        if (silentAfter >= 0 && at >= silentAfter) {
          return;
        }
        if (at >= total) {
          endHandler.handle(null);
          return;
        }
        int n = (int) Math.min(CHUNK, total - at);
        sent.addAndGet(n);
        handler.handle(n == CHUNK ? chunk.copy() : chunk.getBuffer(0, n));
      }
      if (!paused) {
        context.runOnContext(v -> pump());
      }
    }
  }
}
