package io.ponte.hub.audit;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * How services audit, the one way: start a record with {@link #about}, then run the access through
 * {@link #around} (or {@link #aroundUntransacted} for an access that holds no transaction). The
 * access adds what it learns to the record; its outcome is fired as one {@link AccessAudited} event
 * to {@link AuditRecorder}. A success is recorded before the caller sees any of it, and if it
 * cannot be recorded the access is refused (fail closed); a refusal ({@link ProblemException}) is
 * recorded in a transaction of its own, because the refused access rolls back and its record must
 * not. What every audited access will share (BALP AuditEvents: planned) goes here and in the
 * recorder, not into each service.
 */
@ApplicationScoped
public class AuditTrail {

  private static final Logger LOG = Logger.getLogger(AuditTrail.class);

  @Inject Event<AccessAudited> events;

  @Inject Actors actors;

  public AccessAudited.Builder about(AuditAction action, String resourceType) {
    return new AccessAudited.Builder(actors.current(), action, resourceType);
  }

  /**
   * A record whose purpose of use the access decides, not the caller: what is done under an
   * emergency grant is audited as emergency whatever purpose the request stated, so that reviews
   * find all of it.
   */
  public AccessAudited.Builder about(AuditAction action, String resourceType, String purpose) {
    Actor a = actors.current();
    return new AccessAudited.Builder(
        new Actor(
            a.subject(),
            a.username(),
            a.clientId(),
            a.organization(),
            a.roles(),
            a.site(),
            a.patientRegionalId(),
            purpose,
            a.clientAddress()),
        action,
        resourceType);
  }

  /**
   * Runs an access inside the caller's transaction: its success is recorded in that transaction, so
   * the two commit together or not at all.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public <T> T around(AccessAudited.Builder record, Function<AccessAudited.Builder, T> access) {
    try {
      T result = access.apply(record);
      events.fire(record.build(AuditOutcome.SUCCESS, null, null));
      return result;
    } catch (ProblemException e) {
      refused(record, e);
      throw e;
    }
  }

  /**
   * Runs an access that holds no transaction while it runs (a retrieve streamed from a node; it
   * opens its own for what it reads): its success is recorded in a transaction of its own before
   * the result is returned. If that fails, {@code release} frees the result (e.g. closes the node's
   * stream) and the access is refused with 503 AUDIT_UNAVAILABLE.
   */
  public <T> T aroundUntransacted(
      AccessAudited.Builder record,
      Function<AccessAudited.Builder, T> access,
      Consumer<? super T> release) {
    T result;
    try {
      result = access.apply(record);
    } catch (ProblemException e) {
      refused(record, e);
      throw e;
    }
    try {
      QuarkusTransaction.requiringNew()
          .run(() -> events.fire(record.build(AuditOutcome.SUCCESS, null, null)));
    } catch (RuntimeException e) {
      release.accept(result);
      throw e instanceof ProblemException p
          ? p
          : new ProblemException(
              ErrorCode.AUDIT_UNAVAILABLE, "the access could not be audited", Map.of(), e);
    }
    return result;
  }

  private void refused(AccessAudited.Builder record, ProblemException refusal) {
    if (refusal.code() == ErrorCode.AUDIT_UNAVAILABLE) {
      // The trail itself failed; writing again would wait on the chain lock the failed transaction
      // holds.
      LOG.warn("access refused because the audit trail is unavailable");
      return;
    }
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                events.fire(
                    record.build(
                        AuditOutcome.ofStatus(refusal.code().status()),
                        refusal.code().code(),
                        refusal.getMessage())));
  }
}
