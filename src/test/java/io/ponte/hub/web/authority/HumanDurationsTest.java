package io.ponte.hub.web.authority;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dashboard's publication lag in words, not raw seconds. */
class HumanDurationsTest {

  static String en(long seconds) {
    return HumanDurations.of(seconds, n -> n == 1 ? "1 day" : n + " days");
  }

  @Test
  void underAMinuteIsSeconds() {
    assertThat(en(0)).isEqualTo("0 s");
    assertThat(en(45)).isEqualTo("45 s");
  }

  @Test
  void underAnHourIsMinutesAndSeconds() {
    assertThat(en(60)).isEqualTo("1 min");
    assertThat(en(725)).isEqualTo("12 min 5 s");
    assertThat(en(3599)).isEqualTo("59 min 59 s");
  }

  @Test
  void hoursAreShownWithTheMinutesRounded() {
    assertThat(en(3712)).isEqualTo("1 h 2 min");
    assertThat(en(3600)).isEqualTo("1 h");
    // 1 h 59 min 30 s rounds up to the next hour, not to "1 h 60 min"
    assertThat(en(7170)).isEqualTo("2 h");
  }

  @Test
  void daysAreWordsInThePagesLanguageWithTheHoursRounded() {
    assertThat(en(86_400)).isEqualTo("1 day");
    assertThat(en(86_370)).isEqualTo("1 day");
    assertThat(en(3 * 86_400 + 4 * 3600 + 1200)).isEqualTo("3 days 4 h");
    assertThat(HumanDurations.of(2 * 86_400, n -> n == 1 ? "1 dia" : n + " dias"))
        .isEqualTo("2 dias");
  }
}
