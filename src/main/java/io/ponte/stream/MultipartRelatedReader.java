package io.ponte.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming reader of a multipart body (RFC 2046 5.1): each part is handed out as a stream that
 * ends at the next delimiter, so a STOW-RS request of any size passes through a fixed buffer and is
 * never held in memory. Header blocks and the preamble are bounded; anything that breaks the syntax
 * raises {@link MalformedMultipartException}, also from inside a part's stream (a truncated body).
 */
public final class MultipartRelatedReader {

  /**
   * Bounds on what is buffered: one part's header block, and the preamble before the first
   * delimiter.
   */
  public static final int MAX_HEADER_BYTES = 16 * 1024;

  public static final int MAX_HEADER_LINES = 64;
  public static final int MAX_PREAMBLE_BYTES = 64 * 1024;

  private static final int BUFFER_SIZE = 64 * 1024;

  /** One body part: its headers (names lower-cased) and its content, readable once, in order. */
  public record Part(Map<String, String> headers, InputStream content) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final InputStream in;
  private final byte[] delimiter; // CRLF "--" boundary

  /**
   * Horspool's shift per byte value: how far the delimiter may move when its last position holds
   * that byte.
   */
  private final int[] shift = new int[256];

  private final byte[] buf = new byte[BUFFER_SIZE];
  private int pos;
  private int limit;

  /**
   * Bytes before this index are known not to start a delimiter (saves rescanning on small reads).
   */
  private int clearUntil;

  private boolean eof;
  private boolean finished;
  private boolean started;
  private PartStream current;
  private int parts;

  public MultipartRelatedReader(InputStream in, String boundary) {
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
      throw new IllegalArgumentException("a multipart boundary has 1 to 70 characters");
    }
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    Arrays.fill(shift, delimiter.length);
    for (int i = 0; i < delimiter.length - 1; i++) {
      shift[delimiter[i] & 0xff] = delimiter.length - 1 - i;
    }
  }

  private MalformedMultipartException malformed;

  /** The syntax error met so far (also one thrown from inside a part's stream), or null. */
  public MalformedMultipartException malformed() {
    return malformed;
  }

  private MalformedMultipartException malformed(String message) {
    malformed = new MalformedMultipartException(message);
    return malformed;
  }

  /** Parts read so far. */
  public int partCount() {
    return parts;
  }

  /**
   * The next part, or null after the close delimiter. The previous part's content is skipped if the
   * caller did not read it to its end.
   */
  public Part next() throws IOException {
    if (finished) {
      return null;
    }
    if (!started) {
      skipPreamble();
      started = true;
    } else {
      if (current != null) {
        current.skipToEnd();
      }
    }
    current = null;
    // After a delimiter: "--" closes the body; otherwise optional transport padding and CRLF.
    if (!ensure(2)) {
      throw malformed("body ends right after a delimiter");
    }
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      pos += 2;
      finished = true;
      return null;
    }
    readLineEnd();
    Map<String, String> headers = readHeaders();
    parts++;
    current = new PartStream();
    return new Part(headers, current);
  }

  private void skipPreamble() throws IOException {
    // The first delimiter may start the body without the CRLF in front of it.
    byte[] first = new byte[delimiter.length - 2];
    System.arraycopy(delimiter, 2, first, 0, first.length);
    if (ensure(first.length) && startsWith(pos, first)) {
      pos += first.length;
      return;
    }
    int skipped = 0;
    while (true) {
      if (!ensure(delimiter.length)) {
        throw malformed("no multipart delimiter with the declared boundary");
      }
      int at = indexOfDelimiter(pos, limit);
      if (at >= 0) {
        skipped += at - pos;
        pos = at + delimiter.length;
        break;
      }
      int keep = delimiter.length - 1;
      skipped += limit - keep - pos;
      pos = limit - keep;
      if (skipped > MAX_PREAMBLE_BYTES) {
        throw malformed("no multipart delimiter within the first " + MAX_PREAMBLE_BYTES + " bytes");
      }
      fill();
    }
  }

  /** After a boundary: optional linear white space, then CRLF. */
  private void readLineEnd() throws IOException {
    int padding = 0;
    while (true) {
      if (!ensure(1)) {
        throw malformed("body ends inside a delimiter line");
      }
      byte b = buf[pos];
      if (b == ' ' || b == '\t') {
        pos++;
        if (++padding > 256) {
          throw malformed("delimiter line too long");
        }
        continue;
      }
      if (b == '\r' && ensure(2) && buf[pos + 1] == '\n') {
        pos += 2;
        return;
      }
      throw malformed("a delimiter must be followed by CRLF or \"--\"");
    }
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    int total = 0;
    int lines = 0;
    StringBuilder line = new StringBuilder();
    while (true) {
      if (!ensure(1)) {
        throw malformed("body ends inside part headers");
      }
      byte b = buf[pos++];
      if (++total > MAX_HEADER_BYTES) {
        throw malformed("part headers exceed " + MAX_HEADER_BYTES + " bytes");
      }
      if (b != '\r') {
        if (b == '\n' || b == 0) {
          throw malformed("bare LF or NUL in part headers");
        }
        line.append((char) (b & 0xff));
        continue;
      }
      if (!ensure(1) || buf[pos] != '\n') {
        throw malformed("bare CR in part headers");
      }
      pos++;
      total++;
      if (line.length() == 0) {
        return headers;
      }
      if (++lines > MAX_HEADER_LINES) {
        throw malformed("more than " + MAX_HEADER_LINES + " part header lines");
      }
      int colon = line.indexOf(":");
      if (colon <= 0) {
        throw malformed("part header line without a name");
      }
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
      line.setLength(0);
    }
  }

  /** The content of one part: ends (-1) where the next delimiter begins. */
  private final class PartStream extends BlockInputStream {
    private boolean done;

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done || current != this) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      if (clearUntil > pos) {
        int n = Math.min(len, clearUntil - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
      }
      while (true) {
        boolean full = ensure(delimiter.length);
        int at = indexOfDelimiter(pos, limit);
        if (at == pos) {
          pos += delimiter.length;
          done = true;
          return -1;
        }
        int safe = at >= 0 ? at : limit - (delimiter.length - 1);
        clearUntil = safe;
        if (safe > pos) {
          int n = Math.min(len, safe - pos);
          System.arraycopy(buf, pos, b, off, n);
          pos += n;
          return n;
        }
        if (!full) {
          throw malformed("body ends inside a part (no closing delimiter)");
        }
        fill();
      }
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] scratch = new byte[8192];
      long skipped = 0;
      while (skipped < n) {
        int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    void skipToEnd() throws IOException {
      while (!done) {
        skip(Long.MAX_VALUE);
      }
    }

    @Override
    public void close() {
      // The reader owns the underlying stream; next() skips whatever is left of this part.
    }
  }

  /** Makes at least {@code n} bytes available from {@code pos}; false if the input ends first. */
  private boolean ensure(int n) throws IOException {
    while (limit - pos < n) {
      if (eof) {
        return false;
      }
      fill();
    }
    return true;
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      clearUntil = Math.max(0, clearUntil - pos);
      pos = 0;
    }
    if (limit == buf.length) {
      return; // full: the caller consumes before asking again
    }
    int r = in.read(buf, limit, buf.length - limit);
    if (r < 0) {
      eof = true;
    } else {
      limit += r;
    }
  }

  private boolean startsWith(int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (buf[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where the delimiter starts in {@code buf[from, to)}, or -1. Horspool's search: part content is
   * mostly pixel data, so the window usually jumps the delimiter's whole length (~20-70 bytes) per
   * comparison instead of stepping byte by byte.
   */
  private int indexOfDelimiter(int from, int to) {
    int last = delimiter.length - 1;
    byte lastByte = delimiter[last];
    for (int i = from; i <= to - delimiter.length; ) {
      byte b = buf[i + last];
      if (b == lastByte && startsWith(i, delimiter)) {
        return i;
      }
      i += shift[b & 0xff];
    }
    return -1;
  }
}
