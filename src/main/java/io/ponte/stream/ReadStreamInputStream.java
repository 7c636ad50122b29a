package io.ponte.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Vert.x body as a blocking InputStream for a worker thread, with backpressure: once {@code
 * highWater} bytes are queued the source is paused, and resumed when the reader has drained half of
 * it. So a slow reader slows the sender down instead of filling the heap. The window is what makes
 * it fast: the event loop keeps receiving while the worker writes, and the two threads meet once
 * per window, not once per chunk (Quarkus' own request InputStream asks for one chunk at a time, a
 * thread hand-off every 8 KB).
 */
public final class ReadStreamInputStream extends BlockInputStream {

  private final ReadStream<Buffer> source;
  private final Runnable abort;
  private final int highWater;
  private final long readTimeoutMillis;
  private final String peer;
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

  /**
   * {@code abort} runs when the reader closes the stream before the end of the body (e.g. dropping
   * the connection); {@code peer} names the sender in errors ("the node", "the client").
   */
  public ReadStreamInputStream(
      ReadStream<Buffer> source,
      Runnable abort,
      int highWater,
      long readTimeoutMillis,
      String peer) {
    this.source = source;
    this.peer = peer;
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
        // Under the lock, so that a reader's resume() can never run before this pause() and leave
        // the
        // source paused while the flag says it is not (a stall until the read timeout).
        source.pause();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onFailure(Throwable t) {
    signal(
        () -> {
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
    // Blocks only for the first chunk; then takes whatever is already queued, so one call moves
    // many
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
          throw new ReadTimeoutException(
              "no data from " + peer + " for " + readTimeoutMillis + " ms");
        }
        nanos = changed.awaitNanos(nanos);
      }
      if (closed) {
        throw new IOException("stream closed");
      }
      chunk = queue.poll();
      if (chunk == null) {
        if (failure != null) {
          throw new IOException(
              "the body from " + peer + " broke off: " + failure.getMessage(), failure);
        }
        return null;
      }
      queued -= chunk.length();
      resumeIfDrained();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + peer);
    } finally {
      lock.unlock();
    }
    return chunk;
  }

  /** Under the lock: see onChunk. */
  private void resumeIfDrained() {
    if (paused && queued <= highWater / 2) {
      paused = false;
      source.resume();
    }
  }

  @Override
  public int available() {
    lock.lock();
    try {
      return (int)
          Math.min(Integer.MAX_VALUE, queued + (current == null ? 0 : current.length() - pos));
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
      // Nobody reads the rest: later chunks are dropped on arrival, and the owner decides what
      // happens to
      // the connection (the hub drops a node's response; a node lets a refused STOW body flow on).
      abort.run();
    }
  }

  /** The sender went silent for longer than the read timeout. */
  public static final class ReadTimeoutException extends IOException {
    ReadTimeoutException(String message) {
      super(message);
    }
  }
}
