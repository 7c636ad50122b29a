package io.ponte.hub.web.clinician;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The emergency banner's "until": the time for today, the date too for another day. */
class GrantUntilTest {

  static final ZoneId LISBON = ZoneId.of("Europe/Lisbon");

  @Test
  void aGrantEndingTodayIsItsTime() {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");
    assertThat(
            ClinicianPages.until(
                Instant.parse("2026-12-06T14:30:00Z"), now, LISBON, Locale.ENGLISH))
        .isEqualTo("14:30");
  }

  @Test
  void aGrantEndingTomorrowNamesTheDay() {
    // opened at 22:00 for four hours: it ends at 02:00 on the 7th, not at 02:00 today
    Instant now = Instant.parse("2026-12-06T22:00:00Z");
    String until =
        ClinicianPages.until(Instant.parse("2026-12-07T02:00:00Z"), now, LISBON, Locale.ENGLISH);
    assertThat(until).contains("Dec 7, 2026", "2:00");
    assertThat(
            ClinicianPages.until(
                Instant.parse("2026-12-07T02:00:00Z"), now, LISBON, Locale.forLanguageTag("pt")))
        .contains("2026", "02:00")
        .isNotEqualTo("02:00");
  }
}
