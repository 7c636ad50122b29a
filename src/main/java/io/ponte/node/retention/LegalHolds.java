package io.ponte.node.retention;

import io.ponte.node.audit.NodeAuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Legal holds: an administrator puts a study on hold with a reason (a court order, a complaint, a
 * research protocol) and later releases it; a held study is never deleted, whatever its retention
 * says. Both are audited with who and why, in the transaction that changes the hold.
 */
@ApplicationScoped
public class LegalHolds {

  @Inject RetentionIndex index;

  /** Why a hold or a release was refused: the message is the operator's. */
  public static class HoldRefused extends Exception {
    public HoldRefused(String message) {
      super(message);
    }
  }

  public RetentionIndex.StudyTerms hold(String site, String studyUid, String reason, String by)
      throws SQLException, HoldRefused {
    if (reason == null || reason.isBlank()) {
      throw new HoldRefused("a hold needs a reason (--reason)");
    }
    if (reason.length() > 1000) {
      throw new HoldRefused("the reason is longer than 1000 characters");
    }
    NodeAuditEvent event = event(NodeAuditEvent.HOLD, by, studyUid, "legal hold: " + reason);
    RetentionIndex.StudyTerms before =
        index.hold(studyUid, reason, by, event).orElseThrow(() -> unknown(site, studyUid));
    if (before.held()) {
      throw new HoldRefused(
          "study "
              + studyUid
              + " is already on hold since "
              + before.heldAt()
              + " by "
              + before.heldBy()
              + " ("
              + before.holdReason()
              + "); release it first to change the reason");
    }
    return index.find(studyUid).orElseThrow(() -> unknown(site, studyUid));
  }

  public RetentionIndex.StudyTerms release(String site, String studyUid, String by)
      throws SQLException, HoldRefused {
    NodeAuditEvent event = event(NodeAuditEvent.RELEASE, by, studyUid, "legal hold released");
    RetentionIndex.StudyTerms before =
        index.release(studyUid, event).orElseThrow(() -> unknown(site, studyUid));
    if (!before.held()) {
      throw new HoldRefused("study " + studyUid + " is not on hold; nothing to release");
    }
    return before;
  }

  private static HoldRefused unknown(String site, String studyUid) {
    return new HoldRefused(
        "no study "
            + studyUid
            + " at this node (site "
            + site
            + "); a node holds only its own site's studies");
  }

  private static NodeAuditEvent event(String what, String by, String studyUid, String detail) {
    return new NodeAuditEvent(
        Instant.now(),
        what,
        NodeAuditEvent.CLI,
        "success",
        null,
        null,
        null,
        null,
        by,
        null,
        null,
        null,
        studyUid,
        null,
        null,
        null,
        detail);
  }
}
