package io.ponte.hub.fhir;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FHIR date search value: prefix (eq, gt, lt, ge, le) and a value whose precision defines a range
 * [low, high). Dates without a time are read in UTC (documented in
 * docs/conformance/fhir-capability.md). The resulting SQL condition is a plain range on an indexed
 * timestamptz column.
 */
public record DateParam(String prefix, Instant low, Instant high) {

  private static final Pattern FORM =
      Pattern.compile("(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\\d{4}(-\\d{2}(-\\d{2}(T.+)?)?)?)");

  public static DateParam parse(String raw) {
    Matcher m = FORM.matcher(raw);
    if (!m.matches()) {
      throw bad(raw);
    }
    String prefix = m.group(1) == null ? "eq" : m.group(1);
    if (!java.util.Set.of("eq", "gt", "lt", "ge", "le").contains(prefix)) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST,
          "date prefix '" + prefix + "' is not supported; use eq, gt, lt, ge or le");
    }
    String value = m.group(2);
    try {
      if (value.length() == 4) {
        LocalDate start = LocalDate.of(Integer.parseInt(value), 1, 1);
        return new DateParam(prefix, utc(start), utc(start.plusYears(1)));
      }
      if (value.length() == 7) {
        YearMonth month = YearMonth.parse(value);
        return new DateParam(prefix, utc(month.atDay(1)), utc(month.plusMonths(1).atDay(1)));
      }
      if (value.length() == 10) {
        LocalDate day = LocalDate.parse(value);
        return new DateParam(prefix, utc(day), utc(day.plusDays(1)));
      }
      // A time needs a zone (FHIR); precision is the given seconds or fraction.
      OffsetDateTime time = OffsetDateTime.parse(value);
      String clock = value.substring(11);
      ChronoUnit unit =
          clock.matches("\\d{2}:\\d{2}([Z+\\-].*)")
              ? ChronoUnit.MINUTES
              : clock.matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{1,3}.*")
                  ? ChronoUnit.MILLIS
                  : clock.matches("\\d{2}:\\d{2}:\\d{2}\\.\\d+.*")
                      ? ChronoUnit.MICROS
                      : ChronoUnit.SECONDS;
      Instant low = time.toInstant();
      return new DateParam(prefix, low, low.plus(1, unit));
    } catch (java.time.DateTimeException | NumberFormatException e) {
      throw bad(raw);
    }
  }

  private static Instant utc(LocalDate day) {
    return day.atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  private static ProblemException bad(String raw) {
    return new ProblemException(
        ErrorCode.BAD_REQUEST,
        "'"
            + raw
            + "' is not a FHIR date search value (e.g. ge2024-01-01, le2024-03, eq2024-03-05T10:00:00Z)");
  }

  /** The SQL condition on {@code column}; the caller binds {@link #bounds()} in order. */
  public String sql(String column) {
    return switch (prefix) {
      case "eq" -> "(" + column + " >= ? and " + column + " < ?)";
      case "gt" -> column + " >= ?";
      case "ge" -> column + " >= ?";
      case "lt" -> column + " < ?";
      case "le" -> column + " < ?";
      default -> throw new IllegalStateException(prefix);
    };
  }

  public Instant[] bounds() {
    return switch (prefix) {
      case "eq" -> new Instant[] {low, high};
      case "gt", "le" -> new Instant[] {high};
      case "ge", "lt" -> new Instant[] {low};
      default -> throw new IllegalStateException(prefix);
    };
  }

  /**
   * True when an instant satisfies the parameter (used by tests as the oracle, and by nothing hot).
   */
  public boolean matches(Instant t) {
    return switch (prefix) {
      case "eq" -> !t.isBefore(low) && t.isBefore(high);
      case "gt", "le" -> prefix.equals("gt") ? !t.isBefore(high) : t.isBefore(high);
      case "ge", "lt" -> prefix.equals("ge") ? !t.isBefore(low) : t.isBefore(low);
      default -> false;
    };
  }
}
