package io.ponte.hub.oversight;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The days the figures cover, both inclusive, in the region's time zone. Default: the last 30 days
 * up to today. At most {@link #MAX_DAYS} days, so one request cannot scan the whole trail.
 */
public record DateRange(LocalDate from, LocalDate to) {

  public static final int DEFAULT_DAYS = 30;
  public static final int MAX_DAYS = 366;

  /**
   * From the {@code from} and {@code to} parameters (ISO dates, either may be absent); a malformed,
   * reversed or too long range is 400 BAD_REQUEST saying which.
   */
  public static DateRange parse(String fromParam, String toParam, LocalDate today) {
    LocalDate to = blank(toParam) ? today : date("to", toParam);
    LocalDate from = blank(fromParam) ? to.minusDays(DEFAULT_DAYS - 1) : date("from", fromParam);
    if (from.isAfter(to)) {
      throw bad("the date range is reversed: from " + from + " is after to " + to);
    }
    if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
      throw bad("the date range is at most " + MAX_DAYS + " days");
    }
    return new DateRange(from, to);
  }

  public static DateRange lastDays(int days, LocalDate today) {
    return new DateRange(today.minusDays(days - 1), today);
  }

  public Instant start(ZoneId zone) {
    return from.atStartOfDay(zone).toInstant();
  }

  /** Exclusive: the start of the day after {@code to}. */
  public Instant end(ZoneId zone) {
    return to.plusDays(1).atStartOfDay(zone).toInstant();
  }

  private static LocalDate date(String name, String value) {
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw bad(name + " must be a date as YYYY-MM-DD, not '" + abbreviate(value) + "'");
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static String abbreviate(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }

  private static ProblemException bad(String detail) {
    return new ProblemException(ErrorCode.BAD_REQUEST, detail);
  }
}
