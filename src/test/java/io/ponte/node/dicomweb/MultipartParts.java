package io.ponte.node.dicomweb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-side multipart/related parser that finds parts by their delimiters (RFC 2046), independent
 * of the Content-Length the server also sends, so a wrong length would show as a wrong part.
 */
public final class MultipartParts {

  public record Part(Map<String, String> headers, byte[] body) {}

  private MultipartParts() {}

  public static List<Part> parse(String contentType, byte[] body) {
    Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
    if (!m.find()) {
      throw new AssertionError("no boundary in " + contentType);
    }
    byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.US_ASCII);
    List<Part> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    if (at != 0) {
      throw new AssertionError("body does not start with the boundary");
    }
    while (true) {
      int after = at + delimiter.length;
      if (body[after] == '-' && body[after + 1] == '-') {
        return parts;
      }
      int headersStart = after + 2; // CRLF
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), headersStart);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line :
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.US_ASCII)
              .split("\r\n")) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      int contentStart = headersEnd + 4;
      byte[] next = new byte[delimiter.length + 2];
      next[0] = '\r';
      next[1] = '\n';
      System.arraycopy(delimiter, 0, next, 2, delimiter.length);
      int contentEnd = indexOf(body, next, contentStart);
      byte[] content = java.util.Arrays.copyOfRange(body, contentStart, contentEnd);
      parts.add(new Part(headers, content));
      at = contentEnd + 2;
    }
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not found");
  }
}
