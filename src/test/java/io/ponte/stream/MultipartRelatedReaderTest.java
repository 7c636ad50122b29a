package io.ponte.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartRelatedReaderTest {

  private static final String BOUNDARY = "ponte-boundary-1234";

  @Test
  void readsPartsByteExactWhateverTheChunking() throws IOException {
    Random random = new Random(20261127L);
    for (int round = 0; round < 200; round++) {
      readsPartsByteExact(random, BOUNDARY, round % 2 == 0 ? "preamble text\r\n" : "");
    }
  }

  @Test
  void findsDelimitersOfEveryBoundaryLength() throws IOException {
    // The search skips ahead by up to the delimiter's length: short and maximal boundaries are its
    // edges.
    Random random = new Random(20261203L);
    String alphabet = "abcWYZ0189'()+_,-./:=? "; // no 'X': plant() fences near-misses with it
    for (int round = 0; round < 300; round++) {
      StringBuilder boundary = new StringBuilder();
      int length = round % 3 == 0 ? 1 : round % 3 == 1 ? 70 : 1 + random.nextInt(70);
      for (int i = 0; i < length; i++) {
        boundary.append(
            alphabet.charAt(random.nextInt(alphabet.length() - 1))); // no trailing space
      }
      if (boundary.charAt(0) == '-') {
        boundary.setCharAt(
            0, 'a'); // else the near-miss "\r\n-" + boundary would be the delimiter itself
      }
      readsPartsByteExact(random, boundary.toString(), "");
    }
  }

  private static void readsPartsByteExact(Random random, String boundary, String preamble)
      throws IOException {
    List<byte[]> contents = new ArrayList<>();
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      byte[] content = new byte[random.nextInt(200_000)];
      random.nextBytes(content);
      // Near-misses of the delimiter inside content must stay content: one byte short, one byte
      // wrong at
      // the start, in the middle and at the end (the byte the search compares first).
      String delimiter = "\r\n--" + boundary;
      plant(content, random, delimiter.substring(0, delimiter.length() - 1));
      plant(content, random, "\r\n-" + boundary);
      plant(content, random, "--" + boundary);
      plant(content, random, "\n" + delimiter.substring(1));
      plant(content, random, wrongAt(delimiter, delimiter.length() / 2));
      plant(content, random, wrongAt(delimiter, delimiter.length() - 1));
      contents.add(content);
    }
    byte[] body = body(contents, preamble, boundary);
    MultipartRelatedReader reader =
        new MultipartRelatedReader(new ChunkedStream(body, random), boundary);
    for (byte[] expected : contents) {
      MultipartRelatedReader.Part part = reader.next();
      assertThat(part).isNotNull();
      assertThat(part.header("Content-Type")).isEqualTo("application/dicom");
      assertThat(readAll(part.content(), random)).as("boundary [%s]", boundary).isEqualTo(expected);
    }
    assertThat(reader.next()).isNull();
    assertThat(reader.partCount()).isEqualTo(count);
  }

  private static String wrongAt(String text, int index) {
    char[] chars = text.toCharArray();
    chars[index] = chars[index] == '~' ? '!' : '~';
    return new String(chars);
  }

  @Test
  void skipsUnreadRestOfAPart() throws IOException {
    byte[] body = body(List.of("first".getBytes(), "second".getBytes()), "");
    MultipartRelatedReader reader =
        new MultipartRelatedReader(new ByteArrayInputStream(body), BOUNDARY);
    reader.next().content().read();
    assertThat(reader.next().content().readAllBytes()).isEqualTo("second".getBytes());
    assertThat(reader.next()).isNull();
  }

  @Test
  void refusesTruncatedBodyInsideAPart() throws IOException {
    byte[] body = body(List.of(new byte[5000]), "");
    byte[] truncated = java.util.Arrays.copyOf(body, 3000);
    MultipartRelatedReader reader =
        new MultipartRelatedReader(new ByteArrayInputStream(truncated), BOUNDARY);
    InputStream content = reader.next().content();
    assertThatThrownBy(content::readAllBytes)
        .isInstanceOf(MalformedMultipartException.class)
        .hasMessageContaining("no closing delimiter");
  }

  @Test
  void refusesBodyWithoutTheDeclaredBoundary() {
    byte[] body = body(List.of("x".getBytes()), "");
    MultipartRelatedReader reader =
        new MultipartRelatedReader(new ByteArrayInputStream(body), "other-boundary");
    assertThatThrownBy(reader::next).isInstanceOf(MalformedMultipartException.class);
  }

  @Test
  void refusesOversizedPartHeaders() {
    String huge = "X-Filler: " + "a".repeat(MultipartRelatedReader.MAX_HEADER_BYTES) + "\r\n";
    byte[] body =
        ("--" + BOUNDARY + "\r\n" + huge + "\r\nx\r\n--" + BOUNDARY + "--\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    MultipartRelatedReader reader =
        new MultipartRelatedReader(new ByteArrayInputStream(body), BOUNDARY);
    assertThatThrownBy(reader::next)
        .isInstanceOf(MalformedMultipartException.class)
        .hasMessageContaining("exceed");
  }

  @Test
  void refusesEndlessPreamble() {
    byte[] body = new byte[MultipartRelatedReader.MAX_PREAMBLE_BYTES * 3];
    MultipartRelatedReader reader =
        new MultipartRelatedReader(new ByteArrayInputStream(body), BOUNDARY);
    assertThatThrownBy(reader::next).isInstanceOf(MalformedMultipartException.class);
  }

  @Test
  void refusesBodyEndingAfterADelimiter() throws IOException {
    byte[] body =
        ("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\nabc\r\n--" + BOUNDARY)
            .getBytes(StandardCharsets.ISO_8859_1);
    MultipartRelatedReader reader =
        new MultipartRelatedReader(new ByteArrayInputStream(body), BOUNDARY);
    assertThat(reader.next().content().readAllBytes()).isEqualTo("abc".getBytes());
    assertThatThrownBy(reader::next).isInstanceOf(MalformedMultipartException.class);
  }

  static byte[] body(List<byte[]> contents, String preamble) {
    return body(contents, preamble, BOUNDARY);
  }

  static byte[] body(List<byte[]> contents, String preamble, String boundary) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(preamble.getBytes(StandardCharsets.ISO_8859_1));
    for (byte[] content : contents) {
      out.writeBytes(
          ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(content);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static void plant(byte[] content, Random random, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    if (content.length > bytes.length + 2) {
      int at = 1 + random.nextInt(content.length - bytes.length - 2);
      System.arraycopy(bytes, 0, content, at, bytes.length);
      // Fence the near-miss so random neighbours cannot complete it into a real delimiter.
      content[at - 1] = 'X';
      content[at + bytes.length] = 'X';
    }
  }

  private static byte[] readAll(InputStream in, Random random) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 + random.nextInt(20_000)];
    int n;
    while ((n = in.read(chunk, 0, 1 + random.nextInt(chunk.length))) >= 0) {
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  /** Hands out the body in random-sized reads, as a network stream would. */
  private static final class ChunkedStream extends InputStream {
    private final byte[] data;
    private final Random random;
    private int pos;

    ChunkedStream(byte[] data, Random random) {
      this.data = data;
      this.random = random;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(9000)), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
