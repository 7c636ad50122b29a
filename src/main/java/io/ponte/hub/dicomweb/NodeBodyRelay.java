package io.ponte.hub.dicomweb;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import org.jboss.logging.Logger;

/**
 * One pass-through answer relayed on the event loop: each chunk the node sends is written to the
 * caller as it arrives, on the thread that received it, with no worker and no copy in between
 * (docs/performance.md, "WADO-RS side by side": the worker's two hand-offs per chunk were what
 * bounded the relay). The node's connection is paused while the caller's write queue is full, so a
 * slow caller slows the node instead of filling the heap.
 *
 * <p>Endings stay unambiguous: only the node's own end ends the answer. A node that fails or goes
 * silent mid-body (its request's idle timeout) resets the caller's connection, so a cut multipart
 * is an error at the caller, never a short answer that looks whole; a caller that goes away resets
 * the node's request, so no half-read connection goes back to the pool.
 */
final class NodeBodyRelay {

  private static final Logger LOG = Logger.getLogger(NodeBodyRelay.class);

  private final NodeResponse node;
  private final ReadStream<Buffer> in;
  private final Runnable abortNode;
  private final HttpServerResponse out;
  private final Runnable done;
  private boolean finished;
  private long bytes;

  /**
   * {@code abortNode} resets the node's request; {@code done} runs once, however the relay ends
   * (Quarkus REST's request resumes there).
   */
  NodeBodyRelay(
      NodeResponse node,
      ReadStream<Buffer> in,
      Runnable abortNode,
      HttpServerResponse out,
      Runnable done) {
    this.node = node;
    this.in = in;
    this.abortNode = abortNode;
    this.out = out;
    this.done = done;
  }

  /** Runs on the caller's event loop: the head, then the node's chunks as they come. */
  void start() {
    if (out.closed()) {
      // Gone before the first byte: its close handler came too early to stop us.
      callerGone();
      return;
    }
    out.setStatusCode(node.status());
    node.headers().forEach(out::putHeader);
    if (node.header("content-length") == null) {
      out.setChunked(true);
    }
    out.drainHandler(v -> in.resume());
    in.exceptionHandler(this::nodeFailed);
    in.endHandler(v -> nodeEnded());
    in.handler(this::chunk);
    in.resume();
  }

  /** The caller's connection closed (Quarkus REST's close handler): stop reading the node. */
  synchronized void callerGone() {
    if (finish()) {
      LOG.debugf(
          "the caller went away after %d bytes from site %s; the node's request is reset",
          bytes, node.site());
      abortNode.run();
      done.run();
    }
  }

  private synchronized void chunk(Buffer chunk) {
    if (finished) {
      return;
    }
    if (out.closed()) {
      callerGone();
      return;
    }
    bytes += chunk.length();
    out.write(chunk, null);
    if (out.writeQueueFull()) {
      in.pause();
    }
  }

  private synchronized void nodeEnded() {
    if (finish()) {
      out.end();
      done.run();
    }
  }

  private synchronized void nodeFailed(Throwable failure) {
    if (finish()) {
      LOG.warnf(
          "the node of site %s broke off after %d bytes (%s); the caller's connection is reset",
          node.site(), bytes, failure.toString());
      // The status and length are out (and part of the body): only a reset says it is cut.
      out.reset();
      abortNode.run();
      done.run();
    }
  }

  private boolean finish() {
    if (finished) {
      return false;
    }
    finished = true;
    return true;
  }
}
