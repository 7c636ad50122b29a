package io.ponte.hub.audit;

import static io.ponte.hub.NativeSql.numbered;

import io.ponte.hub.HubDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Reads the audit trail back for one person: what others did with their records, refusals included,
 * as the patient portal's access log shows it. The trail has one record per request (a clinician
 * opening one study in a viewer makes hundreds); a person asks "who looked at what, when, why", so
 * the records are grouped in SQL, one {@link Access} per actor, organisation, study, kind of
 * access, purpose, outcome and day in the region's time zone. Per-request detail stays in the
 * records themselves (FHIR AuditEvent, CSV).
 */
@ApplicationScoped
public class AuditLogReader {

  /**
   * One group of records: {@code count} requests by one actor of one organisation (or node of one
   * site), doing {@code action} on {@code resourceType} naming the same studies for the same
   * purpose with the same outcome on one {@code day}, from {@code first} to {@code last}. {@code
   * lastSeq} is the newest record's seq, the paging key. {@code actorName} is the name the newest
   * of them recorded (null before V99 and for clients without one).
   */
  public record Access(
      long lastSeq,
      LocalDate day,
      Instant first,
      Instant last,
      long count,
      String action,
      String resourceType,
      String outcome,
      String username,
      String actorName,
      String clientId,
      String organization,
      String site,
      String purpose,
      List<String> studyUids) {

    /** Break-glass access: the portal highlights it. */
    public boolean emergency() {
      return "emergency".equals(purpose);
    }

    /**
     * A hospital's node acting for its site (publishing a study, sending its audit), not a person:
     * it carries a site and no organisation. The portal names it in words, never by its client id.
     */
    public boolean siteSystem() {
      return (organization == null || organization.isBlank()) && site != null && !site.isBlank();
    }

    /** Who, in words: the person's name when recorded, else their username or client. */
    public String who() {
      if (actorName != null && !actorName.isBlank()) {
        return actorName;
      }
      return username != null ? username : clientId == null ? "" : clientId;
    }
  }

  @Inject HubDatabase db;

  /**
   * Groups of records naming any of {@code patientIds} (hub Patient ids) or {@code regionalId},
   * newest first, at most {@code limit} of them whose newest record is older than {@code beforeSeq}
   * (keyset paging on {@link Access#lastSeq}; null for the newest), leaving out what {@code
   * ownSubject} (the person themself) did. Days are counted in {@code zone}.
   *
   * <p>The grouping runs in the database: however many records a person has, one page holds at most
   * {@code limit} groups in memory. A group's newest seq only grows when a record joins it, so
   * pages never repeat a group; one that grows between two pages moves up to the first.
   */
  @Transactional
  public List<Access> aboutPatient(
      String regionalId,
      Collection<String> patientIds,
      String ownSubject,
      ZoneId zone,
      Long beforeSeq,
      int limit) {
    List<Object> args = new ArrayList<>();
    // patient_ids and regional_ids are comma-separated lists (AuditRecorder), each read by its
    // index (AuditEventQuery.listContains).
    StringBuilder sql =
        new StringBuilder(
            "select max(seq), cast(recorded_at at time zone "
                + zoneSql(zone)
                + " as date) as day,"
                + " min(recorded_at), max(recorded_at), count(*), action, resource_type, outcome,"
                + " username,"
                + " (array_agg(actor_name order by seq desc) filter (where actor_name is not"
                + " null))[1],"
                + " client_id, organization, site, purpose, study_uids from audit_record where (");
    args.add(
        zone.normalized() instanceof ZoneOffset offset
            ? offset.getTotalSeconds() + " seconds"
            : zone.getId());
    sql.append(AuditEventQuery.listContains("regional_ids"));
    args.add(regionalId);
    for (String id : patientIds) {
      sql.append(" or ").append(AuditEventQuery.listContains("patient_ids"));
      args.add(id);
    }
    // The hub's own records: a node's record of the same retrieve (or of its ingest) would show
    // each access twice; they stay in the patient's AuditEvent search.
    sql.append(") and source_site is null");
    if (ownSubject != null) {
      sql.append(" and (subject is null or subject <> ?)");
      args.add(ownSubject);
    }
    // subject tells apart two people who share a display name; username and client_id say who it
    // was for records without a subject.
    sql.append(
        " group by day, subject, username, client_id, organization, site, purpose, action,"
            + " resource_type, outcome, study_uids");
    if (beforeSeq != null) {
      // not "where seq < ?": that would cut a group in two and show its older half again
      sql.append(" having max(seq) < ?");
      args.add(beforeSeq);
    }
    sql.append(" order by max(seq) desc limit ?");
    args.add(limit);
    Query q = db.em().createNativeQuery(numbered(sql.toString()));
    for (int i = 0; i < args.size(); i++) {
      q.setParameter(i + 1, args.get(i));
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows = q.getResultList();
    List<Access> accesses = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      accesses.add(
          new Access(
              ((Number) row[0]).longValue(),
              localDate(row[1]),
              instant(row[2]),
              instant(row[3]),
              ((Number) row[4]).longValue(),
              (String) row[5],
              (String) row[6],
              (String) row[7],
              (String) row[8],
              (String) row[9],
              (String) row[10],
              (String) row[11],
              (String) row[12],
              (String) row[13],
              row[14] == null ? List.of() : Arrays.asList(((String) row[14]).split(","))));
    }
    return accesses;
  }

  /**
   * The zone as PostgreSQL's {@code at time zone} takes it: a region by name; a fixed offset as an
   * interval, since PostgreSQL reads an offset written as text ("+01:00", "UTC+1") the POSIX way,
   * east and west swapped, and would count the days an hour either side of the right one.
   */
  static String zoneSql(ZoneId zone) {
    return zone.normalized() instanceof ZoneOffset ? "cast(? as interval)" : "?";
  }

  private static LocalDate localDate(Object value) {
    if (value instanceof LocalDate d) {
      return d;
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    throw new IllegalStateException("unexpected date type " + value.getClass());
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
