package io.ponte.hub.oversight;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The days the figures cover, both inclusive, in the region's time zone. Default: the last 30 days
 * up to today. At most {@link #MAX_DAYS} days, so one request cannot scan the whole trail.
 */
public record DateRange(LocalDate from, LocalDate to) {

  public static final int DEFAULT_DAYS = 30;
  public static final int MAX_DAYS = 366;

  /** What was wrong with a range: the pages word it in their language, the API says the detail. */
  public enum Fault {
    FROM,
    TO,
    REVERSED,
    TOO_LONG
  }

  /** A refused range: 400 BAD_REQUEST with the detail in English, and which {@link Fault}. */
  public static final class Invalid extends ProblemException {
    private final Fault fault;

    Invalid(Fault fault, String detail) {
      super(ErrorCode.BAD_REQUEST, detail);
      this.fault = fault;
    }

    public Fault fault() {
      return fault;
    }
  }

  /**
   * From the {@code from} and {@code to} parameters (ISO dates, either may be absent); a malformed,
   * reversed or too long range is 400 BAD_REQUEST saying which.
   */
  public static DateRange parse(String fromParam, String toParam, LocalDate today) {
    LocalDate to = blank(toParam) ? today : date(Fault.TO, toParam);
    LocalDate from =
        blank(fromParam) ? to.minusDays(DEFAULT_DAYS - 1) : date(Fault.FROM, fromParam);
    if (from.isAfter(to)) {
      throw new Invalid(
          Fault.REVERSED, "the date range is reversed: from " + from + " is after to " + to);
    }
    if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
      throw new Invalid(Fault.TOO_LONG, "the date range is at most " + MAX_DAYS + " days");
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

  private static LocalDate date(Fault fault, String value) {
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      String name = fault.name().toLowerCase(Locale.ROOT);
      throw new Invalid(
          fault, name + " must be a date as YYYY-MM-DD, not '" + abbreviate(value) + "'");
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static String abbreviate(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}
