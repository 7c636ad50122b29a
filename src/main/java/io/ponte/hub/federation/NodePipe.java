package io.ponte.hub.federation;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Pipes a node's body into the hub's response on the event loop: each chunk the node sends is written as is
 * (no worker thread, no copy buffer), and the node's connection is paused while the caller's write queue is
 * full, so a slow caller slows the node instead of filling the heap.
 * <p>
 * Endings are never ambiguous: only the node's own end ends the response. A node that fails or goes silent
 * (the request's idle timeout) mid-body resets the caller's connection, so a cut multipart is an error at the
 * caller, not a short clean answer; a caller that goes away resets the node's request, so no half-read
 * connection goes back to the pool.
 */
final class NodePipe {

    private static final Logger LOG = Logger.getLogger(NodePipe.class);

    private final NodeResponse node;
    private final HttpClientResponse in;
    private final HttpServerResponse out;
    private final Runnable done;
    private final AtomicBoolean finished = new AtomicBoolean();
    private long bytes;

    NodePipe(NodeResponse node, HttpServerResponse out, Runnable done) {
        this.node = node;
        this.in = node.source();
        this.out = out;
        this.done = done;
    }

    /** Starts on the caller's event loop (the writer may run on a worker thread). */
    void start() {
        Context context = Vertx.currentContext();
        if (context == null || Context.isOnEventLoopThread()) {
            run();
        } else {
            context.runOnContext(v -> run());
        }
    }

    private void run() {
        out.setStatusCode(node.status());
        node.headers().forEach(out::putHeader);
        if (node.header("content-length") == null) {
            out.setChunked(true);
        }
        out.closeHandler(v -> callerGone());
        out.drainHandler(v -> in.resume());
        in.exceptionHandler(this::nodeFailed);
        in.endHandler(v -> nodeEnded());
        in.handler(this::chunk);
        in.resume();
    }

    private void chunk(Buffer chunk) {
        if (finished.get()) {
            return;
        }
        bytes += chunk.length();
        out.write(chunk);
        if (out.writeQueueFull()) {
            in.pause();
        }
    }

    private void nodeEnded() {
        if (finished.compareAndSet(false, true)) {
            out.end();
            done.run();
        }
    }

    private void nodeFailed(Throwable t) {
        if (finished.compareAndSet(false, true)) {
            LOG.warnf("the node of site %s broke off after %d bytes (%s); the caller's connection is reset",
                    node.site(), bytes, t.toString());
            out.reset();
            node.abort();
            done.run();
        }
    }

    private void callerGone() {
        if (finished.compareAndSet(false, true)) {
            LOG.debugf("caller went away after %d bytes from site %s; the node's request is reset", bytes, node.site());
            node.abort();
            done.run();
        }
    }
}
