package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

class SiteFailureLogTest {

  /** A clock the test moves. */
  static final class Moving extends Clock {
    Instant now = Instant.parse("2026-12-06T03:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final Moving clock = new Moving();
  final SiteFailureLog log = new SiteFailureLog(clock, Logger.getLogger(SiteFailureLogTest.class));

  @Test
  void warnsWhenASiteStartsFailingThenOnlyEveryReminder() {
    assertThat(log.failed("a", "node of site a not reachable").level())
        .isEqualTo(Logger.Level.WARN);
    for (int i = 0; i < 19; i++) { // ten minutes of 30-second checks, less one
      clock.now = clock.now.plusSeconds(30);
      assertThat(log.failed("a", "node of site a not reachable").level())
          .isEqualTo(Logger.Level.DEBUG);
    }
    clock.now = clock.now.plusSeconds(30);
    SiteFailureLog.Line reminder = log.failed("a", "node of site a not reachable");
    assertThat(reminder.level()).isEqualTo(Logger.Level.WARN);
    assertThat(reminder.text())
        .startsWith("node of site a not reachable")
        .contains("failing since 2026-12-06T03:00:00Z, 21 failures");
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertThat(log.failed("a", "again").level()).isEqualTo(Logger.Level.DEBUG);
  }

  @Test
  void sitesAreTrackedApartAndAnAnswerEndsTheFailure() {
    log.failed("a", "a down");
    assertThat(log.failed("b", "b down").level()).isEqualTo(Logger.Level.WARN);
    assertThat(log.answered("b")).isTrue();
    assertThat(log.answered("b")).as("was not failing any more").isFalse();
    assertThat(log.failed("a", "a down").level())
        .as("a still failing")
        .isEqualTo(Logger.Level.DEBUG);
    assertThat(log.failed("b", "b down again").level())
        .as("a new failure after an answer is news")
        .isEqualTo(Logger.Level.WARN);
  }
}
