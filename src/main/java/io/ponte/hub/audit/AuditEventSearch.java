package io.ponte.hub.audit;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.HubDatabase;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who may read which audit records, and the search itself. The authority and admin read all; a
 * patient reads the records about themselves (their regional id and every patient linked to it),
 * and naming anyone else is refused, and sees of each record only what is hers ({@link
 * PatientViews}); everyone else is refused. Reading the audit is itself audited.
 */
@ApplicationScoped
public class AuditEventSearch {

  @Inject AuditTrail audit;

  @Inject Caller caller;

  @Inject HubDatabase db;

  @Inject AuditConfig config;

  @Inject PersonPatients persons;

  @Inject PatientViews views;

  /** One page, newest first; {@code more} when older records remain (keyset: {@code _cursor}). */
  public record Page(List<AuditRecordEntity> rows, boolean more, boolean csv, int count) {
    public Long nextCursor() {
      return more ? rows.get(rows.size() - 1).seq : null;
    }
  }

  @Transactional
  public Page search(Map<String, List<String>> params) {
    return audit.around(
        audit.about(AuditAction.SEARCH, "AuditEvent"), record -> search(params, record));
  }

  private Page search(Map<String, List<String>> params, AccessAudited.Builder record) {
    if (caller.isAnonymous()) {
      throw new ProblemException(ErrorCode.UNAUTHENTICATED, "sign in to read audit events");
    }
    boolean everyone = caller.hasRole(Roles.AUTHORITY) || caller.hasRole(Roles.ADMIN);
    if (!everyone && !caller.hasRole(Roles.PATIENT)) {
      throw new ProblemException(
          ErrorCode.FORBIDDEN,
          "audit events are read by the authority, or by a patient about" + " themselves");
    }
    AuditEventQuery q = AuditEventQuery.of(params, config.defaultCount(), config.maxCount());
    record.query(String.join("&", q.described));
    List<String> mine = null;
    if (!everyone) {
      mine = restrictToSelf(q, params.getOrDefault("patient", List.of()), record);
    }
    if (q.none) {
      return new Page(List.of(), false, q.csv, q.count);
    }
    String sql =
        "select * from audit_record where " + q.where + " order by seq desc limit " + (q.count + 1);
    Query query = db.em().createNativeQuery(numbered(sql), AuditRecordEntity.class);
    for (int i = 0; i < q.args.size(); i++) {
      query.setParameter(i + 1, q.args.get(i));
    }
    @SuppressWarnings("unchecked")
    List<AuditRecordEntity> rows = new ArrayList<>(query.getResultList());
    boolean more = rows.size() > q.count;
    if (more) {
      rows = rows.subList(0, q.count);
    }
    db.em().clear();
    if (mine != null) {
      // A record about her also names whoever else the same request touched: she sees her part.
      PatientView view =
          views.of(
              caller.patientId().orElseThrow(),
              mine,
              caller.subject(),
              PatientViews.studiesNamed(rows));
      rows.forEach(view::restrict);
    }
    record.detail(rows.size() + " audit events");
    return new Page(rows, more, q.csv, q.count);
  }

  /** Narrows {@code q} to the records about the calling patient; her hub Patient ids. */
  private List<String> restrictToSelf(
      AuditEventQuery q, List<String> named, AccessAudited.Builder record) {
    String regional =
        caller
            .patientId()
            .orElseThrow(
                () ->
                    new ProblemException(
                        ErrorCode.FORBIDDEN, "the token names no patient (patient_id)"));
    List<String> mine = new ArrayList<>(persons.patientIdsOf(regional));
    for (String n : named) {
      String id = n.startsWith("Patient/") ? n.substring(8) : n;
      if (!id.equals(regional) && !mine.contains(id)) {
        throw new ProblemException(
            ErrorCode.FORBIDDEN, "a patient reads only the audit events about themselves");
      }
    }
    record.regionalId(regional);
    StringBuilder self = new StringBuilder("(" + AuditEventQuery.listContains("regional_ids"));
    List<Object> args = new ArrayList<>();
    args.add(regional);
    for (String id : mine) {
      self.append(" or ").append(AuditEventQuery.listContains("patient_ids"));
      args.add(id);
    }
    q.and(self.append(")").toString(), args.toArray());
    return mine;
  }

  /** JDBC-style {@code ?} placeholders as JPA's ordinal {@code ?1, ?2...}. */
  private static String numbered(String sql) {
    StringBuilder out = new StringBuilder(sql.length() + 16);
    int n = 0;
    for (char c : sql.toCharArray()) {
      if (c == '?') {
        out.append('?').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
