package io.ponte.node.storage.pack;

import io.ponte.text.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
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
    return new InputStream() {
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
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
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

  /** An instance's bytes, as streamed into a pack, differ from its indexed SHA-256. */
  static final class Changed extends IOException {
    Changed(String message) {
      super(message);
    }
  }

  /**
   * Exactly {@code length} bytes of {@code in}: fewer is an error (the pack's offsets would be
   * wrong), more are not read.
   */
  static InputStream exactly(InputStream in, long length, String what) {
    return checked(in, length, null, what);
  }

  /**
   * Exactly {@code length} bytes of {@code in}, hashed as they are read: the read that returns the
   * last of them throws {@link Changed} when their SHA-256 is not {@code sha256} (null: not
   * checked). The check is on the very bytes handed to the reader, so a pack written from this
   * stream holds the indexed bytes or is never finished.
   */
  static InputStream checked(InputStream in, long length, String sha256, String what) {
    MessageDigest digest = sha256 == null ? null : Sha256.digest();
    return new InputStream() {
      private long left = length;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
          throw new IOException(what + " ended " + left + " bytes short of its indexed size");
        }
        left -= n;
        if (digest != null) {
          digest.update(b, off, n);
          if (left == 0 && !Sha256.hex(digest).equals(sha256)) {
            throw new Changed(what + " differs from its indexed SHA-256 " + sha256);
          }
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }
}
