package io.ponte.node.dicomweb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes a multipart/related body (RFC 2387) part by part, each part's bytes streamed by the
 * caller. Part headers are ASCII; every part whose length is known (all but re-encoded instances)
 * carries its Content-Length so a client can skip without scanning.
 */
final class MultipartRelated {

  private final String boundary = "ponte-" + UUID.randomUUID();
  private final String type;

  MultipartRelated(String type) {
    this.type = type;
  }

  /** {@code multipart/related; type="<type>"; boundary=<boundary>} */
  String contentType() {
    return "multipart/related; type=\"" + type + "\"; boundary=" + boundary;
  }

  /** The exact body length for parts of these content types and lengths. */
  long totalLength(String[] partTypes, long[] partLengths) {
    long total = closing().length;
    for (int i = 0; i < partTypes.length; i++) {
      if (partLengths[i] < 0) {
        return -1; // a part re-encoded as it is sent: length unknown, the body is chunked
      }
      total += partHeader(partTypes[i], partLengths[i]).length + partLengths[i] + 2;
    }
    return total;
  }

  void startPart(OutputStream out, String partType, long length) throws IOException {
    out.write(partHeader(partType, length));
  }

  void endPart(OutputStream out) throws IOException {
    out.write('\r');
    out.write('\n');
  }

  void finish(OutputStream out) throws IOException {
    out.write(closing());
  }

  private byte[] partHeader(String partType, long length) {
    return ("--"
            + boundary
            + "\r\nContent-Type: "
            + partType
            + (length < 0 ? "" : "\r\nContent-Length: " + length)
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private byte[] closing() {
    return ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
  }
}
