package io.ponte.hub.web.authority;

import java.util.function.LongFunction;

/**
 * A duration as people read it on the dashboard ("45 s", "12 min 5 s", "1 h 2 min", "3 days 4 h"):
 * at most two units, the smaller rounded. The unit symbols (s, min, h) are the same in Portuguese
 * and English; days are words, given in the page's language. The CSV keeps the seconds.
 */
final class HumanDurations {

  private static final long MINUTE = 60;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  private HumanDurations() {}

  /**
   * {@code seconds} (not negative) in words; {@code days} names a number of days in the page's
   * language ({@link AuthorityMessages#days}).
   */
  static String of(long seconds, LongFunction<String> days) {
    if (seconds < MINUTE) {
      return seconds + " s";
    }
    if (seconds < HOUR) {
      return two(seconds / MINUTE + " min", seconds % MINUTE, " s");
    }
    long minutes = Math.round((double) seconds / MINUTE);
    if (minutes < DAY / MINUTE) {
      return two(minutes / 60 + " h", minutes % 60, " min");
    }
    long hours = Math.round((double) seconds / HOUR);
    return two(days.apply(hours / 24), hours % 24, " h");
  }

  private static String two(String larger, long smaller, String unit) {
    return smaller == 0 ? larger : larger + " " + smaller + unit;
  }
}
