package io.ponte.stream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A filter on a source stream that sees every byte in blocks: subclasses implement only {@link
 * #read(byte[], int, int)} over {@link #in}, and everything else a reader may call goes through it.
 * The single-byte read is {@link BlockInputStream}'s; skip, readAllBytes, readNBytes and transferTo
 * are {@link InputStream}'s, which read through the block read, and available() is the source's
 * unless a filter bounds it. So a filter that counts, hashes, bounds or throttles what passes has
 * one place to do it. Mark and reset are not supported (InputStream's answer), as a replay would
 * pass the same bytes through the filter twice.
 */
public abstract class BlockFilterInputStream extends BlockInputStream {

  /** The source. */
  protected final InputStream in;

  protected BlockFilterInputStream(InputStream in) {
    this.in = Objects.requireNonNull(in, "in");
  }

  /** The source's estimate: a filter that passes fewer bytes than its source lowers it. */
  @Override
  public int available() throws IOException {
    return in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
