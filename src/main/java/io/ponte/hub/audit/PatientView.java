package io.ponte.hub.audit;

import java.util.List;
import java.util.Set;

/**
 * One patient's view of audit records ({@link PatientViews}): who, when, what kind of access, why
 * and with what outcome stay; of the entities a record names only hers remain, and the words of
 * someone else's request (its query text, its free-text detail) are left out, since they name
 * whoever else was searched for or found.
 */
public final class PatientView {

  private final String regionalId;
  private final Set<String> patientIds;
  private final String subject;
  private final Set<String> studyUids;

  PatientView(String regionalId, Set<String> patientIds, String subject, Set<String> studyUids) {
    this.regionalId = regionalId;
    this.patientIds = patientIds;
    this.subject = subject;
    this.studyUids = studyUids;
  }

  /** Hers among {@code uids}, in their order. */
  public List<String> studies(List<String> uids) {
    return uids.stream().filter(studyUids::contains).toList();
  }

  /**
   * {@code r} as she may see it, changed in place: {@code r} must be detached (never written back;
   * the trail is append-only anyway).
   */
  void restrict(AuditRecordEntity r) {
    r.patientIds =
        joined(
            AuditEventRenderer.list(r.patientIds).stream().filter(patientIds::contains).toList());
    r.regionalIds =
        joined(
            AuditEventRenderer.list(r.regionalIds).stream()
                .filter(id -> id.equals(regionalId))
                .toList());
    List<String> named = AuditEventRenderer.list(r.studyUids);
    List<String> hers = studies(named);
    r.studyUids = joined(hers);
    if (hers.size() < named.size()) {
      // counted over everyone's studies the record named: it would tell the size of theirs
      r.instanceCount = null;
    }
    // A site's identifiers of whoever a node's record names: which are hers is not recorded.
    r.patientIdentifiers = null;
    boolean own = r.sourceSite == null && subject != null && subject.equals(r.subject);
    if (!own) {
      // the accessor's network address and token are the operators' to see, not hers
      r.clientAddress = null;
      r.tokenId = null;
      r.query = null;
      if (!"export".equals(r.action)) {
        // an export's detail is where the images went: a destination, not a patient
        r.detail = null;
      }
    }
  }

  private static String joined(List<String> values) {
    return values.isEmpty() ? null : String.join(",", values);
  }
}
