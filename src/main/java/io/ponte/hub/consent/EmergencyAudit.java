package io.ponte.hub.consent;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.Actor;
import io.ponte.hub.audit.Actors;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Audits emergency (break-glass) grants and every access made under one with purpose of use {@value
 * #PURPOSE}, whatever purpose the request stated, so that the authority's review and the patient's
 * access log find them all. It fires the same {@link AccessAudited} event as {@code AuditTrail}
 * (one observer persists it); only the actor's purpose differs.
 */
@ApplicationScoped
public class EmergencyAudit {

  public static final String PURPOSE = "emergency";

  /** resourceType of grant records (create, end, list) and of accesses under a grant. */
  public static final String GRANT = "EmergencyAccess";

  public static final String USE = "EmergencyAccess use";

  private static final Logger LOG = Logger.getLogger(EmergencyAudit.class);

  @Inject Event<AccessAudited> events;

  @Inject Actors actors;

  /** What one emergency record says, collected while the service works. */
  public final class Entry {
    private final Actor actor;
    private final AuditAction action;
    private final String resourceType;
    final List<String> patientIds = new ArrayList<>();
    final List<String> regionalIds = new ArrayList<>();
    final List<String> studyUids = new ArrayList<>();
    String query;
    String detail;

    Entry(AuditAction action, String resourceType) {
      Actor a = actors.current();
      this.actor =
          new Actor(
              a.subject(),
              a.username(),
              a.clientId(),
              a.organization(),
              a.roles(),
              a.site(),
              a.patientRegionalId(),
              PURPOSE,
              a.clientAddress());
      this.action = action;
      this.resourceType = resourceType;
    }

    public Entry patientId(String id) {
      add(patientIds, id);
      return this;
    }

    public Entry regionalId(String id) {
      add(regionalIds, id);
      return this;
    }

    public Entry studyUid(String uid) {
      add(studyUids, uid);
      return this;
    }

    public Entry query(String q) {
      query = q;
      return this;
    }

    public Entry detail(String d) {
      detail = d;
      return this;
    }

    private static void add(List<String> list, String v) {
      if (v != null && !v.isBlank() && !list.contains(v)) {
        list.add(v);
      }
    }

    AccessAudited build(AuditOutcome outcome, String code, String failure) {
      String text = failure == null ? detail : detail == null ? failure : detail + "; " + failure;
      return new AccessAudited(
          actor,
          action,
          resourceType,
          outcome,
          code,
          List.copyOf(patientIds),
          List.of(),
          List.copyOf(regionalIds),
          List.copyOf(studyUids),
          query,
          text);
    }
  }

  public Entry about(AuditAction action, String resourceType) {
    return new Entry(action, resourceType);
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void succeeded(Entry entry) {
    events.fire(entry.build(AuditOutcome.SUCCESS, null, null));
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void refused(Entry entry, ProblemException refusal) {
    if (refusal.code() == ErrorCode.AUDIT_UNAVAILABLE) {
      LOG.warn("emergency access refused because the audit trail is unavailable");
      return;
    }
    int status = refusal.code().status();
    AuditOutcome outcome =
        status == 401 || status == 403
            ? AuditOutcome.DENIED
            : status < 500 ? AuditOutcome.INVALID : AuditOutcome.ERROR;
    events.fire(entry.build(outcome, refusal.code().code(), refusal.getMessage()));
  }
}
