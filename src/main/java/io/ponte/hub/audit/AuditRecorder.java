package io.ponte.hub.audit;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.HubDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The one place audit rows are written. It runs synchronously inside the transaction of the access
 * it records, so the access and its record commit together; if the row cannot be written the access
 * fails with 503 AUDIT_UNAVAILABLE (fail closed).
 */
@ApplicationScoped
public class AuditRecorder {

  private static final Logger LOG = Logger.getLogger(AuditRecorder.class);

  /**
   * Serialises chain appends across the hub's processes until commit (transaction-scoped advisory
   * lock).
   */
  private static final long CHAIN_LOCK = 0x706f6e7465617564L;

  @Inject HubDatabase db;

  @Transactional(Transactional.TxType.MANDATORY)
  void record(@Observes AccessAudited event) {
    try {
      db.em()
          .createNativeQuery("select pg_advisory_xact_lock(" + CHAIN_LOCK + ")")
          .getSingleResult();
      @SuppressWarnings("unchecked")
      List<Object[]> last =
          db.em()
              .createNativeQuery("select seq, hash from audit_record order by seq desc limit 1")
              .getResultList();
      long seq = last.isEmpty() ? 1 : ((Number) last.get(0)[0]).longValue() + 1;
      String prev = last.isEmpty() ? AuditChain.GENESIS : (String) last.get(0)[1];
      AuditRecordEntity row = toRow(event, seq, AuditChain.micros(Instant.now()));
      row.prevHash = prev;
      row.hash = AuditChain.hash(prev, row);
      db.em().persist(row);
      db.em().flush();
    } catch (RuntimeException e) {
      LOG.errorf(
          "audit record could not be written (%s); refusing the access",
          e.getClass().getSimpleName());
      throw new ProblemException(
          ErrorCode.AUDIT_UNAVAILABLE,
          "the access could not be recorded in the audit trail, so it was refused",
          java.util.Map.of(),
          e);
    }
  }

  private static AuditRecordEntity toRow(AccessAudited e, long seq, Instant at) {
    Actor a = e.actor();
    AuditRecordEntity row = new AuditRecordEntity();
    row.seq = seq;
    row.recordedAt = at;
    row.action = e.action().code();
    row.resourceType = e.resourceType();
    row.outcome = e.outcome().code();
    row.errorCode = e.errorCode();
    row.subject = a.subject();
    row.username = a.username();
    row.clientId = a.clientId();
    row.organization = a.organization();
    row.roles = join(a.roles());
    row.site = a.site();
    row.purpose = a.purpose();
    row.patientIds = join(e.patientIds());
    row.patientIdentifiers = join(e.patientIdentifiers());
    List<String> regional = new java.util.ArrayList<>(e.regionalIds());
    if (a.patientRegionalId() != null && !regional.contains(a.patientRegionalId())) {
      regional.add(0, a.patientRegionalId());
    }
    row.regionalIds = join(regional);
    row.studyUids = join(e.studyUids());
    row.query = truncate(e.query(), 2000);
    row.detail = truncate(e.detail(), 2000);
    row.clientAddress = truncate(a.clientAddress(), 64);
    return row;
  }

  private static String join(List<String> values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
