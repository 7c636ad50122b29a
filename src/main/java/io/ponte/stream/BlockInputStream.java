package io.ponte.stream;

import java.io.IOException;
import java.io.InputStream;

/**
 * An InputStream that works in blocks: subclasses implement only {@link #read(byte[], int, int)},
 * and the rare single-byte read goes through it, so the two can never disagree about where the
 * stream is.
 */
public abstract class BlockInputStream extends InputStream {

  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public abstract int read(byte[] b, int off, int len) throws IOException;
}
