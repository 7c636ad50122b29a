package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ponte.error.Problem;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a node's 202 says a study being restored is expected back. */
class StudyRestoreTest {

  @Test
  void theNodesAvailableAtElseItsRetryAfterElseNotSaid() {
    assertThat(
            StudyRestore.expectedAt(
                Map.of("availableAt", "2026-12-06T04:00:00Z", Problem.RETRY_AFTER, 30L)))
        .isEqualTo(Instant.parse("2026-12-06T04:00:00Z"));
    assertThat(StudyRestore.expectedAt(Map.of("availableAt", "soon", Problem.RETRY_AFTER, 30L)))
        .isCloseTo(Instant.now().plusSeconds(30), within(5, ChronoUnit.SECONDS));
    assertThat(StudyRestore.expectedAt(Map.of("site", "hospital-a"))).isNull();
  }
}
