package io.ponte.hub.dicomweb;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Starts (or, once its expected time has passed, completes) the restore of an archived study the
 * one way a node restores one: a whole-study WADO-RS retrieve, which the node answers 202 with when
 * to come back while any instance is only in the Archive tier, after asking Blob to rehydrate it
 * (node {@code WadoService.requireOnline}, {@code ArchiveRestorer}). Asked through {@link
 * HubWadoService#open}, so the caller's access, the patient's consent and the audit record are
 * those of viewing the study. The answer of a study found online is not read: the connection is
 * reset, nothing of the images reaches the hub's caller.
 */
@ApplicationScoped
public class StudyRestore {

  private static final Logger LOG = Logger.getLogger(StudyRestore.class);

  static final String WHAT = "restore of an archived study";

  private static final List<String> ANY_DICOM =
      List.of("multipart/related; type=\"application/dicom\"; transfer-syntax=*");

  @Inject HubWadoService wado;

  /**
   * Asks the study's node to make it readable: ONLINE when it already is (a restore that finished),
   * else RESTORING with when the node expects it back. A refusal (consent, unknown study, site
   * unreachable, storage failure) is the {@link ProblemException} the retrieve would have raised.
   */
  public StudyAvailability.Availability start(String studyUid) {
    NodeResponse r;
    try {
      r = wado.open(WHAT, studyUid, "/studies/" + studyUid, ANY_DICOM);
    } catch (ProblemException e) {
      if (e.code() != ErrorCode.BEING_RESTORED) {
        throw e;
      }
      return new StudyAvailability.Availability(
          StudyAvailability.State.RESTORING, expectedAt(e.extensions()));
    }
    try (InputStream unread = r.body()) {
      // closed unread: the node's stream of the whole study is reset, not copied
    } catch (IOException e) {
      LOG.debugf("study %s: closing an unread answer: %s", studyUid, e.getMessage());
    }
    return new StudyAvailability.Availability(StudyAvailability.State.ONLINE, null);
  }

  /** The node's {@code availableAt}, else now plus its {@code retryAfter}; null if neither. */
  static Instant expectedAt(Map<String, Object> problem) {
    if (problem.get("availableAt") instanceof String at) {
      try {
        return Instant.parse(at);
      } catch (DateTimeParseException e) {
        // fall back on the wait
      }
    }
    if (problem.get(io.ponte.error.Problem.RETRY_AFTER) instanceof Number seconds) {
      return Instant.now().plusSeconds(seconds.longValue());
    }
    return null;
  }
}
