package io.ponte.node.storage;

import io.ponte.stream.BlockInputStream;
import io.ponte.text.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A temp file in the cache's incoming directory that receives an instance's bytes while they are
 * read: the incoming stream is teed into it (through a fixed buffer, with the SHA-256 and the size
 * computed on the way), so the parser can look at the header while the whole object goes to disk,
 * never to memory. Failures writing the file are {@link SpoolWriteException}s; failures of the
 * sender's stream pass through as {@link SourceReadException}s, so the store can tell "disk full"
 * from "bad sender".
 */
final class SpoolFile implements AutoCloseable {

  private static final int BUFFER = 64 * 1024;

  private final Path path;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
  private final MessageDigest sha256;
  private long size;
  private boolean kept;

  SpoolFile(Path path) throws IOException {
    this.path = path;
    this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }

  Path path() {
    return path;
  }

  long size() {
    return size;
  }

  /** Bytes written directly (e.g. the generated file meta information of a DIMSE data set). */
  OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        append(b, off, len);
      }
    };
  }

  /**
   * The source, teed into this file: every byte read from the returned stream is also written here.
   */
  InputStream tee(InputStream source) {
    return new BlockInputStream() {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
          n = source.read(b, off, len);
        } catch (IOException e) {
          throw new SourceReadException(e);
        }
        if (n > 0) {
          append(b, off, n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        // Skipped bytes must reach the file too.
        byte[] scratch = new byte[(int) Math.min(BUFFER, Math.max(n, 1))];
        long done = 0;
        while (done < n) {
          int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
          if (r < 0) {
            break;
          }
          done += r;
        }
        return done;
      }

      @Override
      public void close() {
        // The source belongs to the caller (a multipart part, a DIMSE PDV stream).
      }
    };
  }

  /** Reads whatever is left of the teed stream into the file. */
  static void drain(InputStream teed) throws IOException {
    byte[] scratch = new byte[BUFFER];
    while (teed.read(scratch) >= 0) {
      // the tee writes
    }
  }

  private void append(byte[] b, int off, int len) throws SpoolWriteException {
    sha256.update(b, off, len);
    size += len;
    while (len > 0) {
      int n = Math.min(len, buffer.remaining());
      buffer.put(b, off, n);
      off += n;
      len -= n;
      if (!buffer.hasRemaining()) {
        flushBuffer();
      }
    }
  }

  private void flushBuffer() throws SpoolWriteException {
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw new SpoolWriteException(e);
    }
    buffer.clear();
  }

  /** Flushes and fsyncs the file; returns the hex SHA-256 of everything written. */
  String sync() throws SpoolWriteException {
    flushBuffer();
    try {
      channel.force(true);
    } catch (IOException e) {
      throw new SpoolWriteException(e);
    }
    return Sha256.hex(sha256);
  }

  /** The file is going to be renamed into the cache: do not delete it on close. */
  void keep() {
    kept = true;
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      if (!kept) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The sender's stream failed (connection dropped, malformed multipart): not our disk's fault. */
  static final class SourceReadException extends IOException {
    SourceReadException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Writing or syncing the temp file failed: out of resources. */
  static final class SpoolWriteException extends IOException {
    SpoolWriteException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
