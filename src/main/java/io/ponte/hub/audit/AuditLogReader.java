package io.ponte.hub.audit;

import static io.ponte.hub.NativeSql.numbered;

import io.ponte.hub.HubDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Reads the audit trail back for one person: what others did with their records, refusals included.
 * The patient portal's access log is its first reader; the authority's search (FHIR AuditEvent) is
 * planned.
 */
@ApplicationScoped
public class AuditLogReader {

  /** One access as the person it concerns may see it. */
  public record Entry(
      long seq,
      Instant recordedAt,
      String action,
      String resourceType,
      String outcome,
      String errorCode,
      String username,
      String organization,
      String site,
      String purpose,
      List<String> studyUids) {

    /** Break-glass access: the portal highlights it. */
    public boolean emergency() {
      return "emergency".equals(purpose);
    }
  }

  @Inject HubDatabase db;

  /**
   * Records naming any of {@code patientIds} (hub Patient ids) or {@code regionalId}, newest first,
   * {@code limit} of them older than {@code beforeSeq} (keyset paging; null for the newest),
   * leaving out what {@code ownSubject} (the person themself) did.
   */
  @Transactional
  public List<Entry> aboutPatient(
      String regionalId,
      Collection<String> patientIds,
      String ownSubject,
      Long beforeSeq,
      int limit) {
    // patient_ids and regional_ids are comma-separated lists (AuditRecorder); ',' || list || ','
    // lets one exact id match without wildcards. A full scan for now: an index per patient comes
    // with the authority's AuditEvent search.
    StringBuilder sql =
        new StringBuilder(
            "select seq, recorded_at, action, resource_type, outcome, error_code, username,"
                + " organization, site, purpose, study_uids from audit_record where (");
    List<Object> args = new ArrayList<>();
    sql.append("position(',' || ? || ',' in ',' || coalesce(regional_ids, '') || ',') > 0");
    args.add(regionalId);
    for (String id : patientIds) {
      sql.append(" or position(',' || ? || ',' in ',' || coalesce(patient_ids, '') || ',') > 0");
      args.add(id);
    }
    // The hub's own records: a node's record of the same retrieve (or of its ingest) would show
    // each
    // access twice; they stay in the patient's AuditEvent search.
    sql.append(") and source_site is null");
    if (ownSubject != null) {
      sql.append(" and (subject is null or subject <> ?)");
      args.add(ownSubject);
    }
    if (beforeSeq != null) {
      sql.append(" and seq < ?");
      args.add(beforeSeq);
    }
    sql.append(" order by seq desc limit ?");
    args.add(limit);
    Query q = db.em().createNativeQuery(numbered(sql.toString()));
    for (int i = 0; i < args.size(); i++) {
      q.setParameter(i + 1, args.get(i));
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows = q.getResultList();
    List<Entry> entries = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      entries.add(
          new Entry(
              ((Number) row[0]).longValue(),
              instant(row[1]),
              (String) row[2],
              (String) row[3],
              (String) row[4],
              (String) row[5],
              (String) row[6],
              (String) row[7],
              (String) row[8],
              (String) row[9],
              row[10] == null ? List.of() : Arrays.asList(((String) row[10]).split(","))));
    }
    return entries;
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    throw new IllegalStateException("unexpected timestamp type " + value.getClass());
  }
}
