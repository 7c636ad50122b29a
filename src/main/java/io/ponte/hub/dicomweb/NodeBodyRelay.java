package io.ponte.hub.dicomweb;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One pass-through answer relayed on the event loop: each chunk the node sends is written to the
 * caller as it arrives, on the thread that received it, with no worker and no copy in between
 * (docs/performance.md, "WADO-RS side by side": the worker's two hand-offs per chunk were what
 * bounded the relay). The node's connection is paused while the caller's write queue is full, so a
 * slow caller slows the node instead of filling the heap.
 *
 * <p>Endings stay unambiguous: only the node's own end ends the answer. A node that fails, or goes
 * silent mid-body for longer than the read timeout while the caller is ready for more, resets the
 * caller's connection, so a cut multipart is an error at the caller, never a short answer that
 * looks whole; a caller that goes away resets the node's request, so no half-read connection goes
 * back to the pool. Every callback is synchronized: the node's connection and the caller's may be
 * on different threads.
 */
final class NodeBodyRelay {

  private static final Logger LOG = Logger.getLogger(NodeBodyRelay.class);

  private final NodeResponse node;
  private final NodeBodyStream body;
  private final ReadStream<Buffer> in;
  private final HttpServerResponse out;
  private final Runnable done;
  private boolean finished;
  private boolean pausedForCaller;
  private long bytes;
  private long lastHeardNanos;
  private long timer = -1;
  private Vertx vertx;

  /**
   * {@code in} is {@code body}'s source, taken for this relay; {@code done} runs once, however the
   * relay ends (Quarkus REST's request resumes there).
   */
  NodeBodyRelay(
      NodeResponse node,
      NodeBodyStream body,
      ReadStream<Buffer> in,
      HttpServerResponse out,
      Runnable done) {
    this.node = node;
    this.body = body;
    this.in = in;
    this.out = out;
    this.done = done;
  }

  /**
   * Runs on the caller's event loop (a Vert.x context): the head, then the node's chunks as they
   * come.
   */
  synchronized void start() {
    try {
      if (out.closed()) {
        // Gone before the first byte: its close handler came too early to stop us.
        callerGone();
        return;
      }
      if (body.failure() != null) {
        nodeFailed(body.failure());
        return;
      }
      out.setStatusCode(node.status());
      node.headers().forEach(out::putHeader);
      if (node.header("content-length") == null) {
        out.setChunked(true);
      }
      out.drainHandler(v -> drained());
      in.exceptionHandler(this::nodeFailed);
      in.endHandler(v -> nodeEnded());
      in.handler(this::chunk);
      lastHeardNanos = System.nanoTime();
      watchForSilence();
      in.resume();
    } catch (RuntimeException e) {
      // E.g. Vert.x refusing handlers on a node's answer that broke off in the meantime.
      nodeFailed(e);
    }
  }

  /**
   * The node client's idle timeout covers only the wait for the head: the body's silences are
   * watched here, counted only while the caller is ready for more.
   */
  private void watchForSilence() {
    long limitMillis = body.readTimeoutMillis();
    vertx = Vertx.currentContext() == null ? null : Vertx.currentContext().owner();
    if (vertx == null || limitMillis <= 0) {
      return;
    }
    timer =
        vertx.setPeriodic(
            Math.max(50, Math.min(1000, limitMillis / 4)), id -> checkSilence(limitMillis));
  }

  private synchronized void checkSilence(long limitMillis) {
    if (finished || pausedForCaller) {
      return;
    }
    long silentMillis = (System.nanoTime() - lastHeardNanos) / 1_000_000;
    if (silentMillis > limitMillis) {
      nodeFailed(new TimeoutException("no data from the node for " + silentMillis + " ms"));
    }
  }

  /** The caller's connection closed (Quarkus REST's close handler): stop reading the node. */
  synchronized void callerGone() {
    if (finish()) {
      LOG.debugf(
          "the caller went away after %d bytes from site %s; the node's request is reset",
          bytes, node.site());
      body.abort();
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
    lastHeardNanos = System.nanoTime();
    bytes += chunk.length();
    out.write(chunk, null);
    if (out.writeQueueFull()) {
      // Under the lock: a drain on the caller's thread cannot come between this check and the
      // pause and leave the node paused for good.
      pausedForCaller = true;
      in.pause();
    }
  }

  private synchronized void drained() {
    if (!finished && pausedForCaller) {
      pausedForCaller = false;
      lastHeardNanos = System.nanoTime();
      in.resume();
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
      // The status and length may be out (and part of the body): only a reset says it is cut.
      out.reset();
      body.abort();
      done.run();
    }
  }

  private boolean finish() {
    if (finished) {
      return false;
    }
    finished = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return true;
  }
}
