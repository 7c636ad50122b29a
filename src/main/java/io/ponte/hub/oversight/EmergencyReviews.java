package io.ponte.hub.oversight;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.security.Caller;
import io.ponte.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The authority's review of emergency (break-glass) accesses: which grants nobody has reviewed yet,
 * and marking one reviewed with a comment. Each review is itself an audit record.
 */
@ApplicationScoped
public class EmergencyReviews {

  /** The longest review comment, in characters (the page's form says so too). */
  public static final int MAX_COMMENT = 2000;

  /**
   * A grant awaiting review; {@code clinicianName} as the token named them, null for grants opened
   * before V99.
   */
  public record Pending(
      String id,
      String clinician,
      String clinicianName,
      String organization,
      String reason,
      Instant startsAt,
      Instant endsAt) {}

  @Inject HubDatabase db;

  @Inject AuditTrail audit;

  @Inject Caller caller;

  /** Grants without a review, oldest first (the longest waiting on top). */
  @Transactional
  @SuppressWarnings("unchecked")
  public List<Pending> pending(int limit) {
    List<Object[]> rows =
        db.em()
            .createNativeQuery(
                "select g.id, g.username, g.clinician_name, g.organization, g.reason, g.starts_at, g.ends_at"
                    + " from emergency_grant g left join emergency_review r on r.grant_id = g.id"
                    + " where r.grant_id is null order by g.starts_at, g.id")
            .setMaxResults(limit)
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new Pending(
                    (String) r[0],
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    (String) r[4],
                    instant(r[5]),
                    instant(r[6])))
        .toList();
  }

  /** How many grants await review: the metric and the headline. */
  @Transactional
  public long pendingCount() {
    return ((Number)
            db.em()
                .createNativeQuery(
                    "select count(*) from emergency_grant g where not exists"
                        + " (select 1 from emergency_review r where r.grant_id = g.id)")
                .getSingleResult())
        .longValue();
  }

  /**
   * Marks a grant reviewed: authority only; 404 for an unknown grant, 409 if already reviewed, 400
   * without a comment. Audited, refusals included.
   */
  @Transactional
  public void review(String grantId, String comment) {
    audit.around(
        audit
            .about(AuditAction.UPDATE, "EmergencyReview")
            .query("review " + (grantId == null ? "" : grantId)),
        record -> {
          review(grantId, comment, record);
          return null;
        });
  }

  private void review(String grantId, String comment, AccessAudited.Builder record) {
    if (!caller.hasRole(Roles.AUTHORITY)) {
      throw new ProblemException(
          ErrorCode.FORBIDDEN, "only the authority reviews emergency access");
    }
    if (comment == null || comment.isBlank()) {
      throw new ProblemException(ErrorCode.BAD_REQUEST, "a review needs a comment, in words");
    }
    if (comment.length() > MAX_COMMENT) {
      throw new ProblemException(
          ErrorCode.BAD_REQUEST, "the comment is at most " + MAX_COMMENT + " characters");
    }
    List<?> grant =
        db.em()
            .createNativeQuery(
                "select g.regional_id, g.patient_id from emergency_grant g where g.id = ?1"
                    + " for update")
            .setParameter(1, grantId == null ? "" : grantId)
            .getResultList();
    if (grant.isEmpty()) {
      throw new ProblemException(ErrorCode.NOT_FOUND, "no emergency access " + grantId);
    }
    Object[] person = (Object[]) grant.get(0);
    record.regionalId((String) person[0]).patientId((String) person[1]);
    int inserted =
        db.em()
            .createNativeQuery(
                "insert into emergency_review (grant_id, reviewed_by, reviewed_at, comment)"
                    + " values (?1, ?2, ?3, ?4) on conflict (grant_id) do nothing")
            .setParameter(1, grantId)
            .setParameter(2, caller.username())
            .setParameter(
                3,
                OffsetDateTime.ofInstant(
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC))
            .setParameter(4, comment.strip())
            .executeUpdate();
    if (inserted == 0) {
      throw new ProblemException(
          ErrorCode.CONFLICT, "emergency access " + grantId + " is already reviewed");
    }
    record.detail("reviewed emergency access " + grantId + ": " + comment.strip());
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    return ((java.sql.Timestamp) value).toInstant();
  }
}
