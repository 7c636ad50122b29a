package io.ponte.node.storage;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of free space on the cache volume, configured either as bytes ({@code 10737418240},
 * {@code 10G}, {@code 512M}) or as a share of the volume ({@code 10%}); a share follows the volume
 * when it is resized.
 */
public record FreeSpace(long bytes, double percent) {

  private static final Pattern FORM =
      Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(%|[KMGT]i?B?|B)?\\s*", Pattern.CASE_INSENSITIVE);

  /** Parses a setting; a clear message names the setting when it is not a size. */
  public static FreeSpace parse(String setting, String value) {
    Matcher m = FORM.matcher(value == null ? "" : value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          setting + "=" + value + ": expected bytes (10737418240, 10G) or a percentage (10%)");
    }
    double number = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT);
    if (unit.equals("%")) {
      if (number > 100) {
        throw new IllegalArgumentException(setting + "=" + value + ": more than 100%");
      }
      return new FreeSpace(-1, number);
    }
    int shift =
        switch (unit.isEmpty() ? ' ' : unit.charAt(0)) {
          case 'K' -> 10;
          case 'M' -> 20;
          case 'G' -> 30;
          case 'T' -> 40;
          default -> 0;
        };
    return new FreeSpace((long) (number * (1L << shift)), -1);
  }

  /** This amount in bytes on a volume of {@code totalBytes}. */
  public long bytesOf(long totalBytes) {
    return percent >= 0 ? (long) Math.ceil(totalBytes * percent / 100.0) : bytes;
  }

  @Override
  public String toString() {
    return percent >= 0 ? percent + "%" : bytes + " bytes";
  }
}
