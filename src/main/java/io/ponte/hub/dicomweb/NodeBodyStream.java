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
 * that reads it (metadata rewriting, thumbnails, DIMSE). Nothing is bound to the connection until
 * one of them is chosen, so the relay gets the node's chunks without a worker in between.
 */
final class NodeBodyStream extends InputStream {

  private final ReadStream<Buffer> source;
  private final Runnable abort;
  private final Supplier<ReadStreamInputStream> reader;
  private InputStream stream;
  private boolean taken;

  /** {@code abort} resets the node's request; {@code reader} binds the blocking stream. */
  NodeBodyStream(
      ReadStream<Buffer> source, Runnable abort, Supplier<ReadStreamInputStream> reader) {
    this.source = source;
    this.abort = abort;
    this.reader = reader;
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
      throw new IOException("the node's body is relayed on the event loop; it cannot be read too");
    }
    if (stream == null) {
      stream = reader.get();
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
    }
    // Closing an unread body resets the node's request (the reader's abort), as before.
    stream().close();
  }
}
