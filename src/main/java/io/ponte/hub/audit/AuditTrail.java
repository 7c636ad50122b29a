package io.ponte.hub.audit;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * How services audit: start a record with {@link #about}, then {@link #succeeded} inside the
 * access's transaction, or {@link #refused} when it was refused (in a transaction of its own,
 * because the refused access rolls back, and its record must not).
 */
@ApplicationScoped
public class AuditTrail {

  private static final Logger LOG = Logger.getLogger(AuditTrail.class);

  @Inject Event<AccessAudited> events;

  @Inject Actors actors;

  public AccessAudited.Builder about(AuditAction action, String resourceType) {
    return new AccessAudited.Builder(actors.current(), action, resourceType);
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void succeeded(AccessAudited.Builder record) {
    events.fire(record.build(AuditOutcome.SUCCESS, null, null));
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void refused(AccessAudited.Builder record, ProblemException refusal) {
    if (refusal.code() == ErrorCode.AUDIT_UNAVAILABLE) {
      // The trail itself failed; writing again would wait on the chain lock the failed transaction
      // holds.
      LOG.warn("access refused because the audit trail is unavailable");
      return;
    }
    events.fire(
        record.build(
            AuditOutcome.ofStatus(refusal.code().status()),
            refusal.code().code(),
            refusal.getMessage()));
  }
}
