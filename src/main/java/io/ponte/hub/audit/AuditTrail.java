package io.ponte.hub.audit;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * How services audit, the one way: start a record with {@link #about}, then run the access through
 * {@link #around} (or {@link #aroundUntransacted} for an access that holds no transaction). The
 * access adds what it learns to the record; its outcome is fired as one {@link AccessAudited} event
 * to {@link AuditRecorder}, which waits until the record's group commit is durable.
 *
 * <p>Semantics (docs/security.md, "Audit"): every record is committed by the audit writer in a
 * transaction of its own, before the caller sees any of the access's result; if it cannot be, the
 * access is refused (fail closed, 503 AUDIT_UNAVAILABLE). A refusal ({@link ProblemException}) is
 * recorded with the code and status the caller is answered. An access whose own transaction rolls
 * back after its success was recorded gets a second record saying so (outcome error).
 */
@ApplicationScoped
public class AuditTrail {

  private static final Logger LOG = Logger.getLogger(AuditTrail.class);

  @Inject Event<AccessAudited> events;

  @Inject AuditRecorder recorder;

  @Inject Actors actors;

  @Inject TransactionSynchronizationRegistry transactions;

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
            a.name(),
            a.clientId(),
            a.organization(),
            a.roles(),
            a.site(),
            a.patientRegionalId(),
            purpose,
            a.clientAddress(),
            a.requestId(),
            a.tokenId(),
            a.issuer()),
        action,
        resourceType);
  }

  /**
   * Runs an access inside the caller's transaction: its success is recorded before the transaction
   * commits; should the transaction then roll back, a follow-up record says so.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public <T> T around(AccessAudited.Builder record, Function<AccessAudited.Builder, T> access) {
    T result;
    try {
      result = access.apply(record);
    } catch (ProblemException e) {
      refused(record, e);
      throw e;
    }
    events.fire(success(record));
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status != Status.STATUS_COMMITTED) {
              recorder.recordLater(
                  record.build(
                      AuditOutcome.ERROR,
                      ErrorCode.INTERNAL.code(),
                      ErrorCode.INTERNAL.status(),
                      "recorded as done, but its transaction rolled back: nothing of it took"
                          + " effect"));
            }
          }
        });
    return result;
  }

  /**
   * Runs an access that holds no transaction while it runs (a retrieve streamed from a node; it
   * opens its own for what it reads): its success is recorded before the result is returned. If
   * that fails, {@code release} frees the result (e.g. closes the node's stream) and the access is
   * refused with 503 AUDIT_UNAVAILABLE.
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
      events.fire(success(record));
    } catch (RuntimeException e) {
      release.accept(result);
      throw e;
    }
    return result;
  }

  /**
   * For an access recorded as done before its result was known (a retrieve whose node is asked
   * while its record commits, {@link #aroundUntransacted}): the refusal the caller is answered
   * instead, as a second record with that code and status.
   */
  public void refusedAfterRecorded(AccessAudited.Builder record, ProblemException refusal) {
    refused(record, refusal);
  }

  private static AccessAudited success(AccessAudited.Builder record) {
    return record.build(AuditOutcome.SUCCESS, null, record.successStatus(), null);
  }

  private void refused(AccessAudited.Builder record, ProblemException refusal) {
    if (refusal instanceof AuditRecorder.TrailUnavailable) {
      // The trail itself failed: there is nowhere to record that it did.
      LOG.warn("access refused because the audit trail is unavailable");
      return;
    }
    int status =
        refusal instanceof AnsweredStatus answered
            ? answered.answeredStatus()
            : refusal.code().status();
    try {
      events.fire(
          record.build(
              AuditOutcome.ofStatus(status), refusal.code().code(), status, refusal.getMessage()));
    } catch (AuditRecorder.TrailUnavailable e) {
      // The caller is refused either way; keep the refusal it would have had and log the gap.
      LOG.errorf(
          "a refusal (%s) could not be recorded: the audit trail is unavailable",
          refusal.code().code());
    }
  }
}
