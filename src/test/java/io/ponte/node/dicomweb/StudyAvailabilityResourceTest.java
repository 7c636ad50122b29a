package io.ponte.node.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.dicomweb.StudyAvailabilityResource.Availability;
import io.ponte.node.dicomweb.StudyAvailabilityResource.State;
import io.ponte.node.index.TierIndex.ArchivedOnly;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a study's archived-only instances make of its availability. */
class StudyAvailabilityResourceTest {

  private static final Duration WAIT = Duration.ofHours(15);
  private static final Instant ASKED = Instant.parse("2026-12-05T08:00:00Z");

  @Test
  void noInstanceOnlyInTheArchiveIsOnline() {
    assertThat(StudyAvailabilityResource.of(new ArchivedOnly(0, 0, null), WAIT))
        .isEqualTo(new Availability(State.ONLINE, null));
  }

  @Test
  void archivedWhileAnyArchivedInstanceWasNotAskedBack() {
    assertThat(StudyAvailabilityResource.of(new ArchivedOnly(3, 0, null), WAIT))
        .isEqualTo(new Availability(State.ARCHIVED, null));
    // a thumbnail or one series restored only part of it: opening it starts the rest
    assertThat(StudyAvailabilityResource.of(new ArchivedOnly(3, 1, ASKED), WAIT))
        .isEqualTo(new Availability(State.ARCHIVED, null));
  }

  @Test
  void restoringOnceEveryArchivedInstanceWasAskedBackExpectedAfterTheLatestRequestsWait() {
    assertThat(StudyAvailabilityResource.of(new ArchivedOnly(3, 3, ASKED), WAIT))
        .isEqualTo(new Availability(State.RESTORING, ASKED.plus(WAIT)));
  }
}
