package io.ponte.hub.dicomweb;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.WriteBufferWaterMark;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.streams.ReadStream;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Passes a node's body on to the caller byte for byte: the request is suspended and a {@link
 * NodeBodyRelay} writes the node's chunks into the Vert.x response on the caller's event loop, as
 * they arrive (Quarkus REST writes an AsyncFile the same way). The audit record has committed
 * before the entity is written, so the first byte still follows it. Bodies relayed and bodies
 * copied (the blocking fallback, which nothing in the hub should reach) are counted apart: {@code
 * ponte.hub.node.bodies{path}}.
 */
@Provider
@Produces(MediaType.WILDCARD)
public class NodeBodyWriter implements ServerMessageBodyWriter<NodeBody> {

  /** A few of the node's chunks (NodeClient.MAX_CHUNK_BYTES) may be in flight to the caller. */
  static final int WRITE_BYTES = 256 * 1024;

  private static final Logger LOG = Logger.getLogger(NodeBodyWriter.class);

  /** The warning that the write queue was not widened is logged once per process. */
  private static final AtomicBoolean NOT_WIDENED_WARNED = new AtomicBoolean();

  /** The warning that a body was copied instead of relayed is logged once per process. */
  private static final AtomicBoolean COPIED_WARNED = new AtomicBoolean();

  private final Counter relayed;
  private final Counter copied;

  public NodeBodyWriter(MeterRegistry meters) {
    this.relayed = meters.counter("ponte.hub.node.bodies", "path", "relayed");
    this.copied = meters.counter("ponte.hub.node.bodies", "path", "copied");
  }

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
    ResteasyReactiveRequestContext request = (ResteasyReactiveRequestContext) context;
    HttpServerRequest caller = request.serverRequest().unwrap(HttpServerRequest.class);
    NodeBodyStream stream =
        body.node().body() instanceof NodeBodyStream s
                && caller instanceof HttpServerRequestInternal
            ? s
            : null;
    ReadStream<Buffer> source = stream == null ? null : stream.takeSource();
    if (source == null) {
      copy(body, request, stream == null ? "the caller's request is not Vert.x'" : "already read");
      return;
    }
    try {
      HttpServerResponse out = request.serverRequest().unwrap(HttpServerResponse.class);
      widenWriteQueue(caller.connection());
      request.suspend();
      NodeBodyRelay relay = new NodeBodyRelay(body.node(), stream, source, out, request::resume);
      request.serverResponse().addCloseHandler(relay::callerGone);
      // On the caller's event loop; the node's chunks arrive there too (NodeClient makes the
      // node's request on a connection of the caller's loop).
      ((HttpServerRequestInternal) caller).context().runOnContext(v -> relay.start());
      relayed.increment();
    } catch (RuntimeException e) {
      // Taken but never relayed: the node's request would otherwise stay open.
      stream.abort();
      throw e;
    }
  }

  /**
   * The blocking fallback: a body already read as a stream, or a request Vert.x does not let us
   * reach. It must run on a worker (the WADO-RS resources are blocking); on an event loop it would
   * stall every connection of that loop until the node's last byte, so it is refused there.
   */
  private void copy(NodeBody body, ResteasyReactiveRequestContext request, String why)
      throws IOException {
    try (InputStream in = body.node().body()) {
      if (Context.isOnEventLoopThread()) {
        throw new IllegalStateException(
            "a node's body cannot be copied on an event loop (" + why + ")");
      }
      if (COPIED_WARNED.compareAndSet(false, true)) {
        LOG.warnf("A node's body was copied on a worker instead of relayed (%s)", why);
      }
      copied.increment();
      try {
        NodeResponses.copy(in, request.getOrCreateOutputStream());
      } catch (IOException e) {
        // As in the relay: the head (and part of the body) may be out, and the caller would wait
        // for the rest; only a reset says it is cut.
        HttpServerResponse out = request.serverRequest().unwrap(HttpServerResponse.class);
        if (out != null) {
          out.reset();
        }
        throw e;
      }
    }
  }

  /**
   * Netty calls a connection's write queue full at 64 KB (writable again at 32 KB): with the node's
   * chunks of up to 128 KB the relay would pause the node's connection after every write. A few
   * chunks may be in flight instead (still bounded, about 1 MB per connection).
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
}
