package io.ponte.hub.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.hub.dicomweb.StudyAvailability.Availability;
import io.ponte.hub.dicomweb.StudyAvailability.State;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the hub reads a node's availability answer: what it says, and what it cannot mean. */
class StudyAvailabilityTest {

  private static Map<String, Availability> read(String json, String... studies) {
    Map<String, Availability> found = new HashMap<>();
    StudyAvailability.read(json.getBytes(StandardCharsets.UTF_8), List.of(studies), found);
    return found;
  }

  @Test
  void eachStudyAsTheNodeSaysAndOneItDoesNotHoldIsUnknown() {
    Map<String, Availability> found =
        read(
            """
            {"1.2.1": {"state": "ONLINE", "expectedAt": null},
             "1.2.2": {"state": "ARCHIVED"},
             "1.2.3": {"state": "RESTORING", "expectedAt": "2026-12-05T21:30:00Z"}}""",
            "1.2.1",
            "1.2.2",
            "1.2.3",
            "1.2.4");

    assertThat(found)
        .containsEntry("1.2.1", new Availability(State.ONLINE, null))
        .containsEntry("1.2.2", new Availability(State.ARCHIVED, null))
        .containsEntry(
            "1.2.3", new Availability(State.RESTORING, Instant.parse("2026-12-05T21:30:00Z")))
        .containsEntry("1.2.4", new Availability(State.UNKNOWN, null));
  }

  @Test
  void whatANodeCannotMeanIsUnknownNeverOnline() {
    assertThat(read("not json", "1.2.1"))
        .containsEntry("1.2.1", new Availability(State.UNKNOWN, null));
    assertThat(read("{\"1.2.1\": {\"state\": \"SOMEWHERE\"}}", "1.2.1"))
        .containsEntry("1.2.1", new Availability(State.UNKNOWN, null));
    // a node cannot be unreachable by its own answer
    assertThat(read("{\"1.2.1\": {\"state\": \"SITE_UNREACHABLE\"}}", "1.2.1"))
        .containsEntry("1.2.1", new Availability(State.UNKNOWN, null));
    // an unreadable time: still being restored, when not said
    assertThat(read("{\"1.2.1\": {\"state\": \"RESTORING\", \"expectedAt\": \"soon\"}}", "1.2.1"))
        .containsEntry("1.2.1", new Availability(State.RESTORING, null));
  }

  @Test
  void aLongTimelineIsAskedInRequestsThatEachFitARequestLine() {
    List<String> studies = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      studies.add("1.2.826.0.1.3680043.8.498." + (10_000_000_000_000_000L + i) + "." + i);
    }

    List<List<String>> requests = StudyAvailability.requests(studies);

    assertThat(requests).hasSizeGreaterThan(1);
    assertThat(requests.stream().flatMap(List::stream).toList()).isEqualTo(studies);
    for (List<String> r : requests) {
      int query = r.stream().mapToInt(uid -> "&study=".length() + uid.length()).sum();
      assertThat(query).isLessThanOrEqualTo(StudyAvailability.MAX_QUERY);
      assertThat(r.size()).isLessThanOrEqualTo(100); // the node's limit
    }
    assertThat(StudyAvailability.requests(List.of())).isEmpty();
    // short UIDs: the node's count limit, not the line, splits them
    List<String> shortUids = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      shortUids.add("1.2." + i);
    }
    assertThat(StudyAvailability.requests(shortUids))
        .extracting(List::size)
        .containsExactly(100, 50);
  }
}
