package io.ponte.stream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A {@link FilterInputStream} that sees every byte in blocks: subclasses implement only {@link
 * #read(byte[], int, int)}, and the single-byte read and {@link #skip} go through it, so a filter
 * that counts, hashes, bounds or throttles what passes can never be bypassed. Mark and reset are
 * not supported, as a replay would pass the same bytes through the filter twice.
 */
public abstract class BlockFilterInputStream extends FilterInputStream {

  protected BlockFilterInputStream(InputStream in) {
    super(in);
  }

  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public abstract int read(byte[] b, int off, int len) throws IOException;

  /**
   * Reads and discards, through {@link #read(byte[], int, int)}: FilterInputStream's own skip would
   * pass the filter by.
   */
  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    byte[] buffer = new byte[(int) Math.min(n, 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public final boolean markSupported() {
    return false;
  }

  @Override
  public final void mark(int readlimit) {
    // not supported: see the class comment
  }

  @Override
  public final void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }
}
