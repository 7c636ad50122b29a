package io.ponte.hub.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Whether each study of a page can be opened now, asked of the owning sites' nodes at once (a
 * request per site, or a few for a long page, all sent before any is awaited, {@link #WAIT} in
 * all): online, archived (a retrieve would start a restore first), being restored (and when it is
 * expected back), or site unreachable. A site that does not answer in time makes only its own
 * studies unreachable and never holds up the page. Asking reads the nodes' indexes only: it starts
 * no restore and reads no image, so it is not an access to audit.
 */
@ApplicationScoped
public class StudyAvailability {

  private static final Logger LOG = Logger.getLogger(StudyAvailability.class);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The longest a page waits for the slowest site. */
  static final Duration WAIT = Duration.ofSeconds(2);

  /** Studies per request, the node's limit. */
  static final int MAX_STUDIES = 100;

  /** Query characters per request: well inside a server's 4 KB request line. */
  static final int MAX_QUERY = 3000;

  /** A node's answer is a few dozen bytes per study; anything far larger is not its answer. */
  private static final int MAX_ANSWER_BYTES = 256 * 1024;

  public enum State {
    ONLINE,
    ARCHIVED,
    RESTORING,
    SITE_UNREACHABLE,
    /** The site answered but does not hold the study (yet), or its answer was not understood. */
    UNKNOWN
  }

  /** A study's availability; {@code expectedAt} only when RESTORING (null if not said). */
  public record Availability(State state, Instant expectedAt) {}

  @Inject NodeClient nodes;

  @Inject FederationConfig federation;

  /** The availability of each study of {@code studiesBySite} (site id to study UIDs), by UID. */
  public Map<String, Availability> of(Map<String, ? extends Collection<String>> studiesBySite) {
    Map<String, Availability> found = new HashMap<>();
    List<Asked> asked = new ArrayList<>();
    for (Map.Entry<String, ? extends Collection<String>> site : studiesBySite.entrySet()) {
      for (List<String> studies : requests(site.getValue())) {
        ask(site.getKey(), studies, asked, a -> mark(found, a.studies(), State.SITE_UNREACHABLE));
      }
    }
    awaitAll(
        asked,
        (a, r, body) -> {
          if (r.status() != 200) {
            LOG.warnf("site %s answered %d to an availability request", a.site(), r.status());
            mark(found, a.studies(), r.status() >= 500 ? State.SITE_UNREACHABLE : State.UNKNOWN);
          } else {
            read(body.readNBytes(MAX_ANSWER_BYTES), a.studies(), found);
          }
        },
        a -> mark(found, a.studies(), State.SITE_UNREACHABLE));
    return found;
  }

  /**
   * Whether each site's node answers now (any answer below 500: a request naming no study), asked
   * of all at once within {@link #WAIT}; sites with no node address configured (a clinic) are left
   * out.
   */
  public Map<String, Boolean> reachable(Collection<String> sites) {
    Map<String, Boolean> found = new java.util.LinkedHashMap<>();
    List<Asked> asked = new ArrayList<>();
    for (String site : sites) {
      if (federation.nodeUrl(site).isPresent()) {
        ask(site, List.of(), asked, a -> found.put(a.site(), false));
      }
    }
    awaitAll(
        asked,
        (a, r, body) -> found.put(a.site(), r.status() < 500),
        a -> found.put(a.site(), false));
    return found;
  }

  /** Sends one request (added to {@code asked}), or tells {@code unanswered} it could not. */
  private void ask(
      String site,
      List<String> studies,
      List<Asked> asked,
      java.util.function.Consumer<Asked> unanswered) {
    try {
      asked.add(
          new Asked(
              site, studies, nodes.start(site, path(studies), List.of("application/json"), null)));
    } catch (ProblemException e) {
      unanswered.accept(new Asked(site, studies, null));
    }
  }

  /** What to make of a node's answer; its body is closed afterwards. */
  @FunctionalInterface
  private interface Answered {
    void accept(Asked asked, NodeResponse response, InputStream body) throws IOException;
  }

  /** Awaits every request sent, {@link #WAIT} in all: each answer, or its absence, is handled. */
  private static void awaitAll(
      List<Asked> asked, Answered answered, java.util.function.Consumer<Asked> unanswered) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (Asked a : asked) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        NodeResponse r = a.pending().await(left);
        try (InputStream body = r.body()) {
          answered.accept(a, r, body);
        }
      } catch (ProblemException | IOException e) {
        LOG.debugf("site %s: availability not known: %s", a.site(), e.getMessage());
        unanswered.accept(a);
      }
    }
  }

  /** One request sent to a site's node, for some of its studies. */
  private record Asked(String site, List<String> studies, PendingNodeResponse pending) {}

  /**
   * The studies in groups whose request line stays within {@link #MAX_QUERY} characters (a node, as
   * any HTTP server, refuses a longer one): a long timeline is a few requests, sent at once.
   */
  static List<List<String>> requests(Collection<String> studies) {
    List<List<String>> groups = new ArrayList<>();
    List<String> group = new ArrayList<>();
    int length = 0;
    for (String uid : studies) {
      int more = "&study=".length() + URLEncoder.encode(uid, StandardCharsets.UTF_8).length();
      if (!group.isEmpty() && (length + more > MAX_QUERY || group.size() == MAX_STUDIES)) {
        groups.add(group);
        group = new ArrayList<>();
        length = 0;
      }
      group.add(uid);
      length += more;
    }
    if (!group.isEmpty()) {
      groups.add(group);
    }
    return groups;
  }

  private static String path(Collection<String> studies) {
    StringBuilder path = new StringBuilder("/availability");
    char separator = '?';
    for (String uid : studies) {
      path.append(separator)
          .append("study=")
          .append(URLEncoder.encode(uid, StandardCharsets.UTF_8));
      separator = '&';
    }
    return path.toString();
  }

  /** A node's answer: each study it holds by UID, {@code {"state": ..., "expectedAt": ...}}. */
  static void read(byte[] json, Collection<String> studies, Map<String, Availability> found) {
    JsonNode answer;
    try {
      answer = MAPPER.readTree(json);
    } catch (IOException e) {
      answer = null;
    }
    for (String uid : studies) {
      JsonNode study = answer == null ? null : answer.get(uid);
      found.put(uid, study == null ? new Availability(State.UNKNOWN, null) : availability(study));
    }
  }

  private static Availability availability(JsonNode study) {
    State state;
    try {
      state = State.valueOf(study.path("state").asText(""));
    } catch (IllegalArgumentException e) {
      return new Availability(State.UNKNOWN, null);
    }
    if (state == State.SITE_UNREACHABLE) {
      return new Availability(State.UNKNOWN, null); // a node never says that of itself
    }
    Instant expected = null;
    if (state == State.RESTORING && study.hasNonNull("expectedAt")) {
      try {
        expected = Instant.parse(study.get("expectedAt").asText());
      } catch (DateTimeParseException e) {
        // when is not said: still being restored
      }
    }
    return new Availability(state, expected);
  }

  private static void mark(Map<String, Availability> found, Collection<String> studies, State s) {
    for (String uid : studies) {
      found.put(uid, new Availability(s, null));
    }
  }
}
