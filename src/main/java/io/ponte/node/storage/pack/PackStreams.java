package io.ponte.node.storage.pack;

import io.ponte.node.storage.CheckedBytes;
import io.ponte.stream.BlockInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The streams a pack is written from: its instances one after another, then its trailer. */
final class PackStreams {

  private PackStreams() {}

  /** Opens one part when the concatenation reaches it. */
  @FunctionalInterface
  interface Part {
    InputStream open() throws IOException;
  }

  /** The parts in order, each opened when the one before it is exhausted and closed. */
  static InputStream concat(List<Part> parts) {
    return new BlockInputStream() {
      private int next;
      private InputStream current;

      private boolean advance() throws IOException {
        while (current == null) {
          if (next >= parts.size()) {
            return false;
          }
          current = parts.get(next++).open();
        }
        return true;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        while (advance()) {
          int n = current.read(b, off, len);
          if (n >= 0) {
            return n;
          }
          current.close();
          current = null;
        }
        return -1;
      }

      @Override
      public void close() throws IOException {
        if (current != null) {
          current.close();
          current = null;
        }
        next = parts.size();
      }
    };
  }

  /**
   * Exactly {@code length} bytes of {@code in}: fewer is an error (the pack's offsets would be
   * wrong), more are not read.
   */
  static InputStream exactly(InputStream in, long length, String what) {
    return CheckedBytes.of(in, length, null, what);
  }
}
