package io.ponte.text;

import java.nio.charset.StandardCharsets;

/**
 * US-ASCII conversions for protocol fields (AE titles, UIDs, PDU items) that are ASCII by
 * definition.
 */
public final class Ascii {
  private Ascii() {}

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  public static String string(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }
}
