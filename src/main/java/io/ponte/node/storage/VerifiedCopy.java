package io.ponte.node.storage;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.storage.blob.BlobStat;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.stream.BlockFilterInputStream;
import io.ponte.text.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes an instance into a Blob store and proves the copy without reading it back: the bytes sent
 * are hashed on the way (SHA-256 against the index; MD5 against what the store computed of what it
 * received, when it keeps one), and the stored object's size and recorded SHA-256 are checked. A
 * copy of the wrong bytes (a damaged source) is deleted again rather than left claiming a SHA-256
 * it does not have.
 */
public final class VerifiedCopy {

  /** The copy could not be proven; {@link #targetFailed} tells whose fault it was. */
  public static final class NotVerified extends IOException {
    private final boolean targetFailed;

    NotVerified(String message, boolean targetFailed, Throwable cause) {
      super(message, cause);
      this.targetFailed = targetFailed;
    }

    /** True when the target store failed (unreachable); false when the source or bytes did. */
    public boolean targetFailed() {
      return targetFailed;
    }
  }

  private VerifiedCopy() {}

  /** Streams {@code source} (the instance's bytes, closed here) to {@code target} and proves it. */
  public static void write(InputStream source, BlobStore target, InstanceLocation packedOrNot)
      throws IOException {
    // Always an object of its own: a copy never overwrites a pack (a repair out of a pack is
    // followed by the index's unpack).
    InstanceLocation at = packedOrNot.unpacked();
    MessageDigest sha256 = Sha256.digest();
    MessageDigest md5 = md5();
    long[] sent = new long[1];
    try (InputStream in = new Hashing(source, sha256, md5, sent)) {
      try {
        target.write(at.blobName(), in, at.size(), Map.of("sha256", at.sha256()));
      } catch (IOException | RuntimeException e) {
        // The SDK wraps what the stream threw; a failing source is not an unreachable target.
        for (Throwable t = e; t != null; t = t.getCause()) {
          if (t instanceof Hashing.SourceFailed s) {
            throw new NotVerified("source unreadable: " + s.getMessage(), false, e);
          }
        }
        throw new NotVerified(e.getMessage(), true, e);
      }
    }
    String sentSha256 = Sha256.hex(sha256);
    String sentMd5 = HexFormat.of().formatHex(md5.digest());
    BlobStat stat;
    try {
      stat = target.stat(at.blobName());
    } catch (IOException | RuntimeException e) {
      throw new NotVerified("written, but not verified: " + e.getMessage(), true, e);
    }
    String problem = problem(at, sent[0], sentSha256, sentMd5, stat);
    if (problem != null) {
      if (!sentSha256.equals(at.sha256()) || sent[0] != at.size()) {
        try {
          target.delete(at.blobName());
        } catch (IOException | RuntimeException e) {
          // the next verification of this copy finds it bad again
        }
      }
      throw new NotVerified(problem, false, null);
    }
  }

  /**
   * Why the copy is not proven, or null when it is: the bytes sent must be the indexed ones, and
   * the stored object must have their size, the indexed SHA-256 in its metadata and, when the store
   * computed an MD5 of what it received, the MD5 of what was sent.
   */
  static String problem(
      InstanceLocation at, long sent, String sentSha256, String sentMd5, BlobStat stat) {
    if (sent != at.size() || !sentSha256.equals(at.sha256())) {
      return "the source's bytes differ from the index (" + sent + " bytes sent)";
    }
    if (stat == null) {
      return "the written object is not there";
    }
    if (stat.size() != at.size()) {
      return "the stored object has " + stat.size() + " bytes, not " + at.size();
    }
    if (!at.sha256().equals(stat.metadata().get("sha256"))) {
      return "the stored object does not record the indexed SHA-256";
    }
    if (stat.contentMd5() != null && !stat.contentMd5().equalsIgnoreCase(sentMd5)) {
      return "the store received other bytes than were sent (MD5 differs)";
    }
    return null;
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  /** Hashes what passes through; a read failure of the source is told apart from the target's. */
  private static final class Hashing extends BlockFilterInputStream {
    private final MessageDigest sha256;
    private final MessageDigest md5;
    private final long[] count;

    Hashing(InputStream in, MessageDigest sha256, MessageDigest md5, long[] count) {
      super(in);
      this.sha256 = sha256;
      this.md5 = md5;
      this.count = count;
    }

    static final class SourceFailed extends IOException {
      SourceFailed(IOException cause) {
        super(cause.getMessage(), cause);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        throw new SourceFailed(e);
      }
      if (n > 0) {
        sha256.update(b, off, n);
        md5.update(b, off, n);
        count[0] += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      throw new IOException("skipping would leave bytes unhashed");
    }
  }
}
