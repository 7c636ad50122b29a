package io.ponte.hub.federation;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Pipes a node's body into the hub's response on the event loop (no worker thread): the chunks the node
 * sends in one burst are gathered into one write (at most {@link #GATHER_BYTES} each), and the node's
 * connection is paused while the caller's write queue is full, so a slow caller slows the node instead of
 * filling the heap.
 * <p>
 * Endings are never ambiguous: only the node's own end ends the response. A node that fails or goes silent
 * (the request's idle timeout) mid-body resets the caller's connection, so a cut multipart is an error at the
 * caller, not a short clean answer; a caller that goes away resets the node's request, so no half-read
 * connection goes back to the pool.
 */
final class NodePipe {

    private static final Logger LOG = Logger.getLogger(NodePipe.class);
    /**
     * Chunks from the node are gathered up to this size before one write: each write to the caller is a flush
     * (a syscall), and the node's chunks are often only a few KB.
     */
    static final int GATHER_BYTES = 256 * 1024;

    private final NodeResponse node;
    private final HttpClientResponse in;
    private final HttpServerResponse out;
    private final Runnable done;
    private final io.vertx.core.http.HttpConnection connection;
    private final AtomicBoolean finished = new AtomicBoolean();
    private long bytes;
    private Context context;
    private String startedOn;
    private Buffer gathered;
    private boolean flushScheduled;

    NodePipe(NodeResponse node, HttpServerResponse out, io.vertx.core.http.HttpConnection connection, Runnable done) {
        this.node = node;
        this.connection = connection;
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
        context = Vertx.currentContext();
        startedOn = Thread.currentThread().getName();
        widenWriteQueue();
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
        if (bytes == 0 && LOG.isDebugEnabled()) {
            LOG.debugf("node body from site %s: pipe set up on %s, chunks arrive on %s", node.site(), startedOn,
                    Thread.currentThread().getName());
        }
        bytes += chunk.length();
        if (gathered == null) {
            gathered = Buffer.buffer(GATHER_BYTES + chunk.length());
        }
        gathered.appendBuffer(chunk);
        if (gathered.length() >= GATHER_BYTES || context == null) {
            flush();
        } else if (!flushScheduled) {
            // Runs once the event loop has handled the reads that are ready now: one write per burst of chunks.
            flushScheduled = true;
            context.runOnContext(v -> {
                flushScheduled = false;
                flush();
            });
        }
    }

    /**
     * Netty pauses a connection's writer at 64 KB outstanding by default: for a 1 GB body that is thousands of
     * pause/resume cycles of the node's connection. Allow a few gathered writes in flight instead (still
     * bounded: about 1 MB per proxied answer).
     */
    private void widenWriteQueue() {
        if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
            base.channel().config().setWriteBufferWaterMark(
                    new io.netty.channel.WriteBufferWaterMark(2 * GATHER_BYTES, 4 * GATHER_BYTES));
        }
    }

    private void flush() {
        if (gathered == null || finished.get()) {
            return;
        }
        Buffer b = gathered;
        gathered = null;
        out.write(b);
        if (out.writeQueueFull()) {
            in.pause();
        }
    }

    private void nodeEnded() {
        flush();
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
