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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Whether each study of a page can be opened now, asked of the owning sites' nodes at once (one
 * request per site, all sent before any is awaited, {@link #WAIT} in all): online, archived (a
 * retrieve would start a restore first), being restored (and when it is expected back), or site
 * unreachable. A site that does not answer in time makes only its own studies unreachable and never
 * holds up the page. Asking reads the nodes' indexes only: it starts no restore and reads no image,
 * so it is not an access to audit.
 */
@ApplicationScoped
public class StudyAvailability {

  private static final Logger LOG = Logger.getLogger(StudyAvailability.class);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The longest a page waits for the slowest site. */
  static final Duration WAIT = Duration.ofSeconds(2);

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

  /** The availability of each study of {@code studiesBySite} (site id to study UIDs), by UID. */
  public Map<String, Availability> of(Map<String, ? extends Collection<String>> studiesBySite) {
    Map<String, Availability> found = new HashMap<>();
    Map<String, PendingNodeResponse> asked = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends Collection<String>> site : studiesBySite.entrySet()) {
      if (site.getValue().isEmpty()) {
        continue;
      }
      try {
        asked.put(
            site.getKey(),
            nodes.start(site.getKey(), path(site.getValue()), List.of("application/json"), null));
      } catch (ProblemException e) {
        mark(found, site.getValue(), State.SITE_UNREACHABLE);
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (Map.Entry<String, PendingNodeResponse> site : asked.entrySet()) {
      Collection<String> studies = studiesBySite.get(site.getKey());
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        NodeResponse r = site.getValue().await(left);
        try (InputStream body = r.body()) {
          if (r.status() != 200) {
            LOG.warnf("site %s answered %d to an availability request", site.getKey(), r.status());
            mark(found, studies, r.status() >= 500 ? State.SITE_UNREACHABLE : State.UNKNOWN);
            continue;
          }
          read(body.readNBytes(MAX_ANSWER_BYTES), studies, found);
        }
      } catch (ProblemException | IOException e) {
        LOG.debugf("site %s: availability not known: %s", site.getKey(), e.getMessage());
        mark(found, studies, State.SITE_UNREACHABLE);
      }
    }
    return found;
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
