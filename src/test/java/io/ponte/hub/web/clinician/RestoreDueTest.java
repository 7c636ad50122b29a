package io.ponte.hub.web.clinician;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.hub.dicomweb.StudyAvailability.Availability;
import io.ponte.hub.dicomweb.StudyAvailability.State;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * When the timeline stops saying "being restored, expected by" a time: once that time has passed
 * the node finishes the restore only when the study is opened again, so the page says so.
 */
class RestoreDueTest {

  private static final Instant NOW = Instant.parse("2026-12-06T00:28:00Z");

  @Test
  void aRestoreWhoseExpectedTimeHasPassedIsDue() {
    assertThat(ClinicianPages.restoreDue(new Availability(State.RESTORING, NOW), NOW)).isTrue();
    assertThat(
            ClinicianPages.restoreDue(new Availability(State.RESTORING, NOW.minusSeconds(60)), NOW))
        .isTrue();
  }

  @Test
  void aRestoreStillUnderWayOrWithoutATimeOrAnotherStateIsNot() {
    assertThat(
            ClinicianPages.restoreDue(new Availability(State.RESTORING, NOW.plusSeconds(30)), NOW))
        .isFalse();
    assertThat(ClinicianPages.restoreDue(new Availability(State.RESTORING, null), NOW)).isFalse();
    assertThat(ClinicianPages.restoreDue(new Availability(State.ARCHIVED, null), NOW)).isFalse();
    assertThat(ClinicianPages.restoreDue(new Availability(State.ONLINE, NOW.minusSeconds(60)), NOW))
        .isFalse();
  }
}
