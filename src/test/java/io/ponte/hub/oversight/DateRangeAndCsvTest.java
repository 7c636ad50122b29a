package io.ponte.hub.oversight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The date range's rules and the CSV's escaping, without a server. */
class DateRangeAndCsvTest {

  static final LocalDate TODAY = LocalDate.parse("2026-03-31");

  @Test
  void theDefaultIsTheLastThirtyDaysUpToToday() {
    DateRange r = DateRange.parse(null, " ", TODAY);
    assertThat(r.from()).isEqualTo(LocalDate.parse("2026-03-02"));
    assertThat(r.to()).isEqualTo(TODAY);
    // both days whole, in the region's zone: Lisbon is on summer time (UTC+1) on 31 March
    ZoneId lisbon = ZoneId.of("Europe/Lisbon");
    assertThat(r.end(lisbon)).hasToString("2026-03-31T23:00:00Z");
    assertThat(r.start(lisbon)).hasToString("2026-03-02T00:00:00Z");
  }

  @Test
  void aBadRangeSaysWhy() {
    assertThatThrownBy(() -> DateRange.parse("2026-03-02", "2026-03-01", TODAY))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("reversed")
        .satisfies(e -> assertThat(((ProblemException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
    assertThatThrownBy(() -> DateRange.parse("31/03/2026", null, TODAY))
        .hasMessageContaining("from must be a date as YYYY-MM-DD");
    assertThatThrownBy(() -> DateRange.parse("2025-01-01", "2026-01-02", TODAY))
        .hasMessageContaining("at most 366 days");
    assertThat(DateRange.parse("2025-01-01", "2026-01-01", TODAY).from())
        .isEqualTo(LocalDate.parse("2025-01-01"));
  }

  @Test
  void theCsvQuotesWhatNeedsQuotingAndDefusesFormulas() {
    FigureTable t =
        new FigureTable(
            "emergency-pending",
            List.of("id", "reason"),
            List.of(
                List.of("g1", "=HYPERLINK(\"http://evil\")"),
                List.of("g2", "fell, \"badly\"\nat home"),
                List.of("g3", "-5")),
            false);
    assertThat(FigureCsv.of(t))
        .isEqualTo(
            "id,reason\r\n"
                + "g1,\"'=HYPERLINK(\"\"http://evil\"\")\"\r\n"
                + "g2,\"fell, \"\"badly\"\"\nat home\"\r\n"
                + "g3,-5\r\n");
  }
}
