package io.ponte.node.storage;

import io.ponte.stream.BlockInputStream;
import io.ponte.text.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * An instance's bytes as they are written to Blob (into a pack, or as an object of its own),
 * checked against the index on the way: exactly the indexed size, and the indexed SHA-256 proven on
 * the very bytes handed to the writer, before the write can commit.
 */
public final class CheckedBytes {

  private CheckedBytes() {}

  /** An instance's bytes, as streamed to Blob, differ from its indexed SHA-256. */
  public static final class Changed extends IOException {
    Changed(String message) {
      super(message);
    }
  }

  /**
   * Exactly {@code length} bytes of {@code in}, hashed as they are read: the read that returns the
   * last of them throws {@link Changed} when their SHA-256 is not {@code sha256} (null: not
   * checked); fewer bytes are an error, more are not read. The check is on the very bytes handed to
   * the reader, so an object written from this stream holds the indexed bytes or is never
   * committed.
   */
  public static InputStream of(InputStream in, long length, String sha256, String what) {
    MessageDigest digest = sha256 == null ? null : Sha256.digest();
    return new BlockInputStream() {
      private long left = length;

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
