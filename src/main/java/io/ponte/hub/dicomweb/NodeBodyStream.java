package io.ponte.hub.dicomweb;

import io.ponte.stream.ReadStreamInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A node's body, still paused on its connection, taken one of two ways, once: as buffers by the
 * event-loop relay ({@link #takeSource()}, the pass-through), or as a blocking stream for a worker
 * that reads it (metadata rewriting, thumbnails, DIMSE). Until then only a failure is listened for:
 * Vert.x delivers a broken connection at once, not queued behind the paused body, and a body that
 * failed unheard could not be bound to afterwards.
 */
final class NodeBodyStream extends InputStream {

  private final ReadStream<Buffer> source;
  private final Runnable abort;
  private final Supplier<ReadStreamInputStream> reader;
  private final long readTimeoutMillis;
  private InputStream stream;
  private boolean taken;
  private Throwable failure;

  /**
   * {@code abort} resets the node's request; {@code reader} binds the blocking stream; {@code
   * readTimeoutMillis} is the longest silence tolerated from the node mid-body.
   */
  NodeBodyStream(
      ReadStream<Buffer> source,
      Runnable abort,
      Supplier<ReadStreamInputStream> reader,
      long readTimeoutMillis) {
    this.source = source;
    this.abort = abort;
    this.reader = reader;
    this.readTimeoutMillis = readTimeoutMillis;
    try {
      source.exceptionHandler(this::failed);
    } catch (IllegalStateException e) {
      // Vert.x refuses handlers on an answer that has already ended: it broke off.
      failed(new IOException("the node's answer ended before its body was read", e));
    }
  }

  private synchronized void failed(Throwable t) {
    if (failure == null) {
      failure = t;
    }
  }

  /** Why the node's body broke off before it was taken; null if it did not. */
  synchronized Throwable failure() {
    return failure;
  }

  long readTimeoutMillis() {
    return readTimeoutMillis;
  }

  /** Resets the node's request (a relay whose caller went away, or that the node broke off). */
  void abort() {
    abort.run();
  }

  /** The paused body for the relay, or null once it is being read as a stream (or was taken). */
  synchronized ReadStream<Buffer> takeSource() {
    if (taken || stream != null) {
      return null;
    }
    taken = true;
    return source;
  }

  private synchronized InputStream stream() throws IOException {
    if (taken) {
      throw new IOException(
          "the node's body was taken (relayed or closed unread); it cannot be read");
    }
    if (stream == null) {
      if (failure != null) {
        abort.run();
        throw new IOException("the body from the node broke off: " + failure, failure);
      }
      try {
        stream = reader.get();
      } catch (IllegalStateException e) {
        // Ended (broken off) between the check above and binding to it.
        abort.run();
        throw new IOException("the body from the node broke off", e);
      }
    }
    return stream;
  }

  @Override
  public int read() throws IOException {
    return stream().read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return stream().read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    return stream().available();
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (taken) {
        return;
      }
      if (stream == null) {
        // Never read: nothing to bind to, only the node's request to reset.
        taken = true;
        abort.run();
        return;
      }
    }
    stream.close();
  }
}
