package io.ponte.dicomweb;

import io.ponte.error.ErrorCode;
import io.ponte.error.ErrorDetails;
import io.ponte.error.ProblemException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * QIDO-RS match values (PS3.18 8.3.4) as the node's index and the hub's registry both turn them
 * into SQL: wildcards to LIKE patterns, ranges, value lists and fuzzy person names; and how a value
 * is quoted in an error. Every value becomes a bind parameter.
 */
public final class QidoMatching {

  private static final DateTimeFormatter DA =
      DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

  private QidoMatching() {}

  public static boolean hasWildcard(String v) {
    return v.indexOf('*') >= 0 || v.indexOf('?') >= 0;
  }

  /** DICOM wildcards to a LIKE pattern, escaping LIKE's own metacharacters with '!'. */
  public static String likePattern(String v) {
    StringBuilder b = new StringBuilder(v.length() + 4);
    for (char ch : v.toCharArray()) {
      switch (ch) {
        case '*' -> b.append('%');
        case '?' -> b.append('_');
        case '%', '_', '!' -> b.append('!').append(ch);
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  /**
   * Fuzzy person-name matching (PS3.18 fuzzymatching=true; the algorithm is the server's choice):
   * every word of the query must begin some component of the name in {@code column} (an SQL
   * expression), ignoring case and the ^ = , separators, so "smi jo" finds "Smith^John" and
   * "Jones^Smithers".
   */
  public static String fuzzyName(String column, String value, List<Object> params) {
    List<String> parts = new ArrayList<>();
    String normalized = "(' ' || translate(lower(coalesce(" + column + ", '')), '^=,', '   '))";
    for (String word : value.toLowerCase(Locale.ROOT).split("[\\s^=,]+")) {
      if (word.isEmpty() || word.equals("*")) {
        continue;
      }
      params.add("% " + likePattern(word.replace("*", "")) + "%");
      parts.add(normalized + " like ? escape '!'");
    }
    return parts.isEmpty() ? "true" : "(" + String.join(" and ", parts) + ")";
  }

  /** A list match ("CT,MR" or "CT\MR") as its trimmed, non-empty values. */
  public static String[] codes(String v) {
    return java.util.Arrays.stream(v.split("[,\\\\]"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toArray(String[]::new);
  }

  /** "a-b", "a-", "-b" or "a" (as a-a). */
  public static String[] range(String key, String value) {
    int dash = value.indexOf('-');
    if (dash < 0) {
      return new String[] {value, value};
    }
    if (value.indexOf('-', dash + 1) >= 0 || value.equals("-")) {
      throw bad(key + " is not a valid range: " + ErrorDetails.quote(value));
    }
    return new String[] {value.substring(0, dash), value.substring(dash + 1)};
  }

  /**
   * Both ends of a date match (YYYYMMDD): equal for a single date, open where empty; 400 when
   * invalid.
   */
  public static String[] dateRange(String key, String value) {
    String[] ends = range(key, value);
    for (String end : ends) {
      if (!end.isEmpty()) {
        try {
          LocalDate.parse(end, DA);
        } catch (DateTimeParseException e) {
          throw bad(key + " is not a date (YYYYMMDD) or date range: " + ErrorDetails.quote(value));
        }
      }
    }
    if (!ends[0].isEmpty() && !ends[1].isEmpty() && ends[0].compareTo(ends[1]) > 0) {
      throw bad(key + " range ends before it starts: " + value);
    }
    return ends;
  }

  private static ProblemException bad(String detail) {
    return new ProblemException(ErrorCode.BAD_REQUEST, detail);
  }
}
