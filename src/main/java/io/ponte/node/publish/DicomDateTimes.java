package io.ponte.node.publish;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;

/**
 * DICOM DA/TM values to FHIR dates with the precision the data has. A DICOM date alone becomes a
 * day-precise FHIR dateTime (no zone needed); a date with a time becomes a zoned dateTime, because
 * FHIR requires a zone once hours are given. FHIR has no hour or minute precision, so HH and HHMM
 * are given seconds (00), and fractions are kept to the millisecond. Values that are not valid
 * dates or times are left out, not guessed.
 */
final class DicomDateTimes {

  // DA: YYYYMMDD, and the ACR-NEMA form YYYY.MM.DD some old archives still send.
  private static final Pattern DA = Pattern.compile("(\\d{4})\\.?(\\d{2})\\.?(\\d{2})");
  // TM: HH[MM[SS[.F{1,6}]]], and the ACR-NEMA form HH:MM:SS.
  private static final Pattern TM =
      Pattern.compile("(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:\\.(\\d{1,6}))?)?)?");

  private DicomDateTimes() {}

  static Optional<LocalDate> date(String da) {
    if (da == null) {
      return Optional.empty();
    }
    Matcher m = DA.matcher(da.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDate.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3))));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** A birth date: FHIR {@code date}, day precision. */
  static Optional<DateType> birthDate(String da) {
    return date(da).map(d -> new DateType(d.getYear(), d.getMonthValue() - 1, d.getDayOfMonth()));
  }

  /**
   * StudyDate + StudyTime as FHIR dateTime; empty without a valid date. An invalid time keeps the
   * date.
   */
  static Optional<DateTimeType> started(String da, String tm, ZoneId zone) {
    Optional<LocalDate> date = date(da);
    if (date.isEmpty()) {
      return Optional.empty();
    }
    Optional<Time> time = time(tm);
    if (time.isEmpty()) {
      DateTimeType day = new DateTimeType(date.get().toString());
      return Optional.of(day);
    }
    ZonedDateTime at = ZonedDateTime.of(date.get(), time.get().value(), zone);
    DateTimeType started =
        new DateTimeType(
            Date.from(at.toInstant()), time.get().precision(), TimeZone.getTimeZone(zone));
    return Optional.of(started);
  }

  private record Time(LocalTime value, TemporalPrecisionEnum precision) {}

  private static Optional<Time> time(String tm) {
    if (tm == null) {
      return Optional.empty();
    }
    Matcher m = TM.matcher(tm.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    int hour = Integer.parseInt(m.group(1));
    int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    // 60 is a leap second in DICOM TM; java.time has none, so it is read as 59.
    int second = m.group(3) == null ? 0 : Math.min(59, Integer.parseInt(m.group(3)));
    String fraction = m.group(4);
    int millis = fraction == null ? 0 : Integer.parseInt((fraction + "00").substring(0, 3));
    if (hour > 23 || minute > 59) {
      return Optional.empty();
    }
    TemporalPrecisionEnum precision =
        fraction == null ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI;
    return Optional.of(new Time(LocalTime.of(hour, minute, second, millis * 1_000_000), precision));
  }
}
