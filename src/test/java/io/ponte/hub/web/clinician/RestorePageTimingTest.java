package io.ponte.hub.web.clinician;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.hub.dicomweb.StudyAvailability.Availability;
import io.ponte.hub.dicomweb.StudyAvailability.State;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * When the restore page asks again: it reloads itself while a restore runs (never more often than
 * every 5 s nor less than every minute), checks through its form once the restore is due, and does
 * not ask again at once after a check the node answered "not yet".
 */
class RestorePageTimingTest {

  private static final Instant NOW = Instant.parse("2026-12-06T03:30:00Z");

  private static Availability restoring(Instant at) {
    return new Availability(State.RESTORING, at);
  }

  @Test
  void aRunningRestoreReloadsWhenExpectedWithinFiveSecondsToAMinute() {
    assertThat(RestorePages.refreshSeconds(restoring(NOW.plusSeconds(30)), false, NOW))
        .isEqualTo(31);
    assertThat(RestorePages.refreshSeconds(restoring(NOW.plusSeconds(1)), false, NOW)).isEqualTo(5);
    assertThat(RestorePages.refreshSeconds(restoring(NOW.plusSeconds(4 * 3600)), false, NOW))
        .isEqualTo(60);
    assertThat(RestorePages.refreshSeconds(restoring(null), false, NOW)).isEqualTo(60);
  }

  @Test
  void aDueRestoreAndTheOtherStatesDoNotReload() {
    assertThat(RestorePages.refreshSeconds(restoring(NOW.minusSeconds(1)), true, NOW)).isZero();
    for (State s : new State[] {State.ONLINE, State.ARCHIVED, State.SITE_UNREACHABLE}) {
      assertThat(RestorePages.refreshSeconds(new Availability(s, null), false, NOW)).isZero();
    }
  }

  @Test
  void afterACheckTheNodeAnsweredNotYetThePageWaitsUntilItsNextTime() {
    Availability due = restoring(NOW.minusSeconds(120));
    String next = NOW.plusSeconds(3).toString();
    assertThat(RestorePages.nextCheck(due, next, NOW)).isEqualTo(restoring(NOW.plusSeconds(3)));
    // past, unreadable, absurdly far, or not a due restore: the node's answer stands
    assertThat(RestorePages.nextCheck(due, NOW.minusSeconds(1).toString(), NOW)).isEqualTo(due);
    assertThat(RestorePages.nextCheck(due, "soon", NOW)).isEqualTo(due);
    assertThat(RestorePages.nextCheck(due, NOW.plusSeconds(3 * 86400).toString(), NOW))
        .isEqualTo(due);
    assertThat(RestorePages.nextCheck(due, null, NOW)).isEqualTo(due);
    Availability online = new Availability(State.ONLINE, null);
    assertThat(RestorePages.nextCheck(online, next, NOW)).isEqualTo(online);
  }
}
