package io.ponte.node.publish;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/**
 * The outbox table (db/node V10), in plain JDBC like the rest of the node index: its writes are
 * conditional upserts and SKIP LOCKED claims, which read most clearly as SQL.
 */
@ApplicationScoped
public class PublicationOutbox {

  /**
   * A row claimed for sending. {@code generation} guards the result against a rebuild meanwhile
   * (generations come from one sequence, so a row dropped with its study and built again never
   * carries an old claim's generation: V161); {@code claimedAt} and {@code leaseUntil} bound when
   * the PUT may reach the hub, which a withdrawal queued meanwhile must follow ({@link
   * WithdrawalOutbox#followPublication}).
   */
  public record Claimed(
      String studyInstanceUid,
      String payload,
      String contentSha256,
      long generation,
      int attempts,
      Instant claimedAt,
      Instant leaseUntil) {}

  /** What the outbox holds, for the gauge and the health check. */
  public record Backlog(
      long pending,
      long held,
      long rejected,
      Instant oldestPendingSince,
      long refused,
      String lastRefusedReason) {
    static final Backlog EMPTY = new Backlog(0, 0, 0, null, 0, null);
  }

  /**
   * Stores the ImagingStudy built for {@code builtFor} (the study's last_received_at), replacing an
   * older build. The row becomes due at once, unless the hub already has exactly this content. A
   * null payload records a study that cannot be published yet, with the reason in {@code error}.
   */
  public void upsert(
      Connection c,
      String studyUid,
      String payload,
      String sha256,
      Instant builtFor,
      String error,
      Instant now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                insert into publication_outbox as o (study_instance_uid, payload, content_sha256, built_for_received_at,
                    generation, enqueued_at, attempts, next_attempt_at, last_error)
                values (?, ?, ?, ?, nextval('publication_outbox_generation_seq'), ?, 0, ?, ?)
                on conflict (study_instance_uid) do update set
                    payload = excluded.payload,
                    content_sha256 = excluded.content_sha256,
                    built_for_received_at = excluded.built_for_received_at,
                    generation = excluded.generation,
                    enqueued_at = excluded.enqueued_at,
                    sent_at = case when excluded.content_sha256 = o.sent_sha256 then o.sent_at end,
                    next_attempt_at = case when excluded.content_sha256 = o.sent_sha256 then null
                                           else excluded.next_attempt_at end,
                    last_error = excluded.last_error,
                    refused_at = null,
                    refused_reason = null
                where o.built_for_received_at < excluded.built_for_received_at
                """)) {
      Timestamp ts = Timestamp.from(now);
      st.setString(1, studyUid);
      st.setString(2, payload);
      st.setString(3, sha256);
      st.setTimestamp(4, Timestamp.from(builtFor));
      st.setTimestamp(5, ts);
      if (payload == null) {
        st.setNull(6, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        st.setTimestamp(6, ts);
      }
      st.setString(7, error == null ? null : cut(error));
      st.executeUpdate();
    }
  }

  /**
   * Claims the most overdue unsent row, leasing it until {@code leaseUntil}: if this process dies
   * while sending, the row becomes due again then (and is re-sent, which the hub's conditional
   * update absorbs). A study whose withdrawal has not reached the hub yet waits for it (the study
   * was deleted and sent again since): sent after it, the withdrawal would take the study the node
   * holds again out of the registry.
   */
  public Optional<Claimed> claimDue(Connection c, Instant now, Instant leaseUntil)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                update publication_outbox o set next_attempt_at = ?
                from (select study_instance_uid from publication_outbox p
                      where sent_at is null and payload is not null and next_attempt_at <= ?
                        and not exists (select 1 from publication_withdrawal w
                                        where w.study_instance_uid = p.study_instance_uid
                                          and w.sent_at is null)
                      order by next_attempt_at limit 1 for update skip locked) due
                where o.study_instance_uid = due.study_instance_uid
                returning o.study_instance_uid, o.payload, o.content_sha256, o.generation, o.attempts
                """)) {
      st.setTimestamp(1, Timestamp.from(leaseUntil));
      st.setTimestamp(2, Timestamp.from(now));
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Claimed(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getInt(5),
                now,
                leaseUntil));
      }
    }
  }

  /**
   * Marks the row sent, unless it was rebuilt since it was claimed (then the new content is still
   * due).
   */
  public boolean markSent(Connection c, Claimed row, int status, Instant now) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                update publication_outbox set sent_at = ?, sent_sha256 = content_sha256, attempts = 0,
                    next_attempt_at = null, last_status = ?, last_error = null, last_attempt_at = ?
                where study_instance_uid = ? and generation = ?
                """)) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setInt(2, status);
      st.setTimestamp(3, Timestamp.from(now));
      st.setString(4, row.studyInstanceUid());
      st.setLong(5, row.generation());
      return st.executeUpdate() == 1;
    }
  }

  /**
   * Records a failed attempt and when to try again. A row rebuilt meanwhile is left alone: its new
   * content is due now and deserves its own attempt.
   */
  public boolean markFailed(
      Connection c, Claimed row, Integer status, String error, Instant nextAttempt, Instant now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                update publication_outbox set attempts = attempts + 1, next_attempt_at = ?, last_status = ?,
                    last_error = ?, last_attempt_at = ?
                where study_instance_uid = ? and generation = ?
                """)) {
      st.setTimestamp(1, Timestamp.from(nextAttempt));
      if (status == null) {
        st.setNull(2, Types.INTEGER);
      } else {
        st.setInt(2, status);
      }
      st.setString(3, cut(error));
      st.setTimestamp(4, Timestamp.from(now));
      st.setString(5, row.studyInstanceUid());
      st.setLong(6, row.generation());
      return st.executeUpdate() == 1;
    }
  }

  /**
   * Records a final refusal: the row stays, unsent and never due again, with the hub's code as the
   * reason, until a rebuild ({@link #upsert}) clears it.
   */
  public boolean markRefused(
      Connection c, Claimed row, int status, String reason, String error, Instant now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                update publication_outbox set attempts = attempts + 1, next_attempt_at = null,
                    last_status = ?, last_error = ?, last_attempt_at = ?, refused_at = ?, refused_reason = ?
                where study_instance_uid = ? and generation = ?
                """)) {
      Timestamp ts = Timestamp.from(now);
      st.setInt(1, status);
      st.setString(2, cut(error));
      st.setTimestamp(3, ts);
      st.setTimestamp(4, ts);
      st.setString(5, reason);
      st.setString(6, row.studyInstanceUid());
      st.setLong(7, row.generation());
      return st.executeUpdate() == 1;
    }
  }

  public Backlog backlog(Connection c) throws SQLException {
    try (PreparedStatement st =
            c.prepareStatement(
                """
                select count(*) filter (where payload is not null and refused_at is null),
                       count(*) filter (where payload is null),
                       count(*) filter (where payload is not null and refused_at is null
                                          and last_status between 400 and 499
                                          and last_status not in (401, 408, 429)),
                       min(enqueued_at) filter (where payload is not null and refused_at is null),
                       count(*) filter (where refused_at is not null),
                       (select refused_reason from publication_outbox
                        where refused_at is not null and sent_at is null
                        order by refused_at desc limit 1)
                from publication_outbox where sent_at is null
                """);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      Timestamp oldest = rs.getTimestamp(4);
      return new Backlog(
          rs.getLong(1),
          rs.getLong(2),
          rs.getLong(3),
          oldest == null ? null : oldest.toInstant(),
          rs.getLong(5),
          rs.getString(6));
    }
  }

  private static String cut(String text) {
    return text.length() <= 1000 ? text : text.substring(0, 997) + "...";
  }
}
