package io.ponte.node.migrate;

import io.ponte.stream.BlockFilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A token bucket on the bytes read from the source, shared by all workers: {@code bytesPerSecond}
 * refill, one second of burst. Reads block until their bytes are paid for, so the archive's disks
 * or network are never loaded beyond the limit (the upload to Blob follows what was read).
 */
final class BandwidthLimit {

  /** No limit: streams pass through untouched. */
  static final BandwidthLimit NONE = new BandwidthLimit(0);

  private final long bytesPerSecond;
  private double tokens;
  private long last = System.nanoTime();

  BandwidthLimit(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = bytesPerSecond;
  }

  /** From {@code --bandwidth MB/s} (decimal megabytes); zero or less means unlimited. */
  static BandwidthLimit megabytesPerSecond(double mb) {
    return mb <= 0 ? NONE : new BandwidthLimit((long) (mb * 1_000_000));
  }

  boolean limited() {
    return bytesPerSecond > 0;
  }

  InputStream wrap(InputStream in) {
    return limited() ? new Throttled(in) : in;
  }

  /** Takes {@code n} bytes' worth of tokens, sleeping while the bucket is short (debt allowed). */
  void acquire(long n) throws InterruptedIOException {
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(bytesPerSecond, tokens + (now - last) * bytesPerSecond / 1e9);
      last = now;
      tokens -= n;
      waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
    }
    if (waitNanos > 0) {
      try {
        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while throttled");
      }
    }
  }

  private final class Throttled extends BlockFilterInputStream {
    Throttled(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        acquire(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes count as read, without reading them.
      long skipped = in.skip(n);
      acquire(skipped);
      return skipped;
    }
  }
}
