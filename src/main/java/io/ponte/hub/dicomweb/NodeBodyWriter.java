package io.ponte.hub.dicomweb;

import io.netty.channel.WriteBufferWaterMark;
import io.ponte.stream.ReadStreamInputStream;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Passes a node's body on to the caller from the request's worker thread, straight into the Vert.x
 * response: whatever the node has sent since the last write goes out as one buffer of up to {@link
 * #WRITE_BYTES}, without copying it. Quarkus REST's output stream (what a {@code StreamingOutput}
 * writes to) hands every 8 KB to the event loop on its own, each a wake-up and a send of its own:
 * most of what the hub spent per proxied GB (docs/performance.md, "WADO-RS side by side").
 *
 * <p>Endings stay unambiguous: a node that fails or goes silent mid-body resets the caller's
 * connection (a cut multipart is an error at the caller, never a short answer that looks whole); a
 * caller that goes away makes the read stop, and closing the node's body resets the node's request.
 * The audit record has committed before the entity is written, so the first byte still follows it.
 */
@Provider
@Produces(MediaType.WILDCARD)
public class NodeBodyWriter implements ServerMessageBodyWriter<NodeBody> {

  /** Largest single write to the caller: a few of the node's bursts. */
  static final int WRITE_BYTES = 256 * 1024;

  /** How often a writer waiting for the caller to drain checks that the caller is still there. */
  private static final long CLOSED_CHECK_MILLIS = 200;

  private static final Logger LOG = Logger.getLogger(NodeBodyWriter.class);

  /** The warning that the write queue was not widened is logged once per process. */
  private static final AtomicBoolean NOT_WIDENED_WARNED = new AtomicBoolean();

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
    return NodeBody.class.isAssignableFrom(type);
  }

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return NodeBody.class.isAssignableFrom(type);
  }

  @Override
  public void writeResponse(NodeBody body, Type genericType, ServerRequestContext context)
      throws IOException {
    if (Context.isOnEventLoopThread()) {
      // The hub's WADO-RS resources are blocking: this waits for the node and for the caller.
      throw new IllegalStateException("a node's body is written from a worker thread only");
    }
    ResteasyReactiveRequestContext request = (ResteasyReactiveRequestContext) context;
    HttpServerResponse out = request.serverRequest().unwrap(HttpServerResponse.class);
    widenWriteQueue(request.serverRequest().unwrap(HttpServerRequest.class).connection());
    new Relay(body.node(), out).run();
  }

  /**
   * Netty calls a connection's write queue full at 64 KB (writable again at 32 KB): with writes of
   * up to {@link #WRITE_BYTES} the worker would wait for a drain after every write. A few writes
   * may be in flight instead (still bounded, about 1 MB per connection).
   *
   * <p>The channel is reached through a Vert.x internal ({@code ConnectionBase}); an upgrade that
   * moves it must not drop the widening silently: this says whether it applied (NodeBodyWriterTest
   * holds it to a real Vert.x server's connection) and warns once when it did not.
   */
  static boolean widenWriteQueue(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channel()
          .config()
          .setWriteBufferWaterMark(new WriteBufferWaterMark(2 * WRITE_BYTES, 4 * WRITE_BYTES));
      return true;
    }
    if (NOT_WIDENED_WARNED.compareAndSet(false, true)) {
      LOG.warnf(
          "Node bodies are relayed with Netty's 64 KB write queue: the caller's connection (%s)"
              + " is not a Vert.x ConnectionBase, so the queue was not widened to %d KB;"
              + " proxied WADO-RS is slower until NodeBodyWriter follows the Vert.x change",
          connection == null ? "none" : connection.getClass().getName(), 4 * WRITE_BYTES / 1024);
    }
    return false;
  }

  @Override
  public void writeTo(
      NodeBody body,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> headers,
      OutputStream entityStream)
      throws IOException {
    // Only reached through a WriterInterceptor (the hub installs none on this entity).
    try (InputStream in = body.node().body()) {
      NodeResponses.copy(in, entityStream);
    }
  }

  /** One answer's relay: the worker reads the node's bursts and waits for the caller to drain. */
  private static final class Relay {
    private final NodeResponse node;
    private final HttpServerResponse out;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();

    Relay(NodeResponse node, HttpServerResponse out) {
      this.node = node;
      this.out = out;
    }

    void run() throws IOException {
      // Set here, not only by Quarkus REST when the head goes out: Vert.x wants the length (or
      // chunked) known before the first write.
      out.setStatusCode(node.status());
      node.headers().forEach(out::putHeader);
      if (node.header("content-length") == null) {
        out.setChunked(true);
      }
      out.drainHandler(v -> signalDrained());
      try (InputStream in = node.body()) {
        Buffer burst;
        while ((burst = next(in)) != null) {
          awaitWritable();
          out.write(burst, null);
        }
        out.end();
      } catch (IOException | RuntimeException e) {
        // The status and length are decided (and part of the body may be out): only a reset tells
        // the caller the answer is cut (a no-op once the caller's connection is gone).
        out.reset();
        throw e;
      }
    }

    private static Buffer next(InputStream in) throws IOException {
      if (in instanceof ReadStreamInputStream chunks) {
        return chunks.readChunks(WRITE_BYTES);
      }
      byte[] bytes = in.readNBytes(WRITE_BYTES);
      return bytes.length == 0 ? null : Buffer.buffer(bytes);
    }

    private void awaitWritable() throws IOException {
      lock.lock();
      try {
        while (true) {
          if (out.closed()) {
            throw new IOException("the caller closed the connection");
          }
          if (!out.writeQueueFull()) {
            return;
          }
          // Woken by the drain handler; the timeout only re-checks a caller that went away
          // (a closed connection never drains).
          drained.await(CLOSED_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for the caller");
      } finally {
        lock.unlock();
      }
    }

    private void signalDrained() {
      lock.lock();
      try {
        drained.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
