package io.ponte.hub.federation;

import io.ponte.stream.BlockInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Vert.x body as a blocking InputStream for a worker thread, with backpressure: once {@code highWater}
 * bytes are queued the source is paused, and resumed when the reader has drained half of it. So a slow
 * client slows the node down instead of filling the hub's heap.
 */
final class ReadStreamInputStream extends BlockInputStream {

    private final ReadStream<Buffer> source;
    private final Runnable abort;
    private final int highWater;
    private final long readTimeoutMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private long queued;
    private boolean paused;
    private boolean ended;
    private Throwable failure;
    private boolean closed;
    private Buffer current;
    private int pos;

    /** {@code abort} drops the connection when the reader gives up before the end of the body. */
    ReadStreamInputStream(ReadStream<Buffer> source, Runnable abort, int highWater, long readTimeoutMillis) {
        this.source = source;
        this.abort = abort;
        this.highWater = highWater;
        this.readTimeoutMillis = readTimeoutMillis;
        source.handler(this::onChunk);
        source.exceptionHandler(this::onFailure);
        source.endHandler(v -> signal(() -> ended = true));
        source.resume();
    }

    private void onChunk(Buffer chunk) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            queue.add(chunk);
            queued += chunk.length();
            if (!paused && queued >= highWater) {
                paused = true;
                // Under the lock, so that a reader's resume() can never run before this pause() and leave the
                // source paused while the flag says it is not (a stall until the read timeout).
                source.pause();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onFailure(Throwable t) {
        signal(() -> {
            if (failure == null) {
                failure = t;
            }
        });
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int copied = 0;
        // Blocks only for the first chunk; then takes whatever is already queued, so one call moves many
        // small network chunks (fewer, larger writes downstream).
        while (copied < len) {
            if (current == null || pos >= current.length()) {
                if (copied > 0 && !hasQueued()) {
                    break;
                }
                current = next();
                pos = 0;
                if (current == null) {
                    return copied > 0 ? copied : -1;
                }
            }
            int n = Math.min(len - copied, current.length() - pos);
            current.getBytes(pos, pos + n, b, off + copied);
            pos += n;
            copied += n;
        }
        return copied;
    }

    private boolean hasQueued() {
        lock.lock();
        try {
            return !queue.isEmpty() || ended || failure != null;
        } finally {
            lock.unlock();
        }
    }

    /** The next chunk, waiting at most the read timeout; null at the end of the body. */
    private Buffer next() throws IOException {
        Buffer chunk;
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(readTimeoutMillis);
            while (queue.isEmpty() && !ended && failure == null && !closed) {
                if (nanos <= 0) {
                    throw new NodeTimeoutException("no data from the node for " + readTimeoutMillis + " ms");
                }
                nanos = changed.awaitNanos(nanos);
            }
            if (closed) {
                throw new IOException("stream closed");
            }
            chunk = queue.poll();
            if (chunk == null) {
                if (failure != null) {
                    throw new IOException("the node's response broke off: " + failure.getMessage(), failure);
                }
                return null;
            }
            queued -= chunk.length();
            if (paused && queued <= highWater / 2) {
                paused = false;
                source.resume(); // under the lock: see onChunk
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the node");
        } finally {
            lock.unlock();
        }
        return chunk;
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queued + (current == null ? 0 : current.length() - pos));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        boolean unfinished;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            unfinished = !ended && failure == null;
            queue.clear();
            queued = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (unfinished) {
            // Reading the rest of a study nobody wants would waste the node and the link: drop the connection.
            abort.run();
        }
    }

    /** The node went silent for longer than the read timeout. */
    static final class NodeTimeoutException extends IOException {
        NodeTimeoutException(String message) {
            super(message);
        }
    }
}
