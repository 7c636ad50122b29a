package io.ponte.node.publish;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/**
 * Withdrawals of studies from the hub's registry (db/node V60 {@code publication_withdrawal}): the
 * publication outbox's counterpart for a study the node no longer holds. Written in the transaction
 * that takes the study out of the index, sent later by {@link WithdrawalSender}, so a hub outage
 * delays the withdrawal but never loses it.
 */
public final class WithdrawalOutbox {

  private WithdrawalOutbox() {}

  /** A claimed withdrawal. */
  public record Claimed(String studyInstanceUid, int attempts) {}

  /**
   * Queues the withdrawal of {@code studyUid}, due now, on {@code c} (the caller's transaction); a
   * pending publication of the study is dropped with it, so it cannot reach the hub afterwards.
   */
  public static void enqueue(Connection c, String studyUid, Instant now) throws SQLException {
    try (PreparedStatement drop =
            c.prepareStatement("delete from publication_outbox where study_instance_uid = ?");
        PreparedStatement st =
            c.prepareStatement(
                """
                insert into publication_withdrawal (study_instance_uid, enqueued_at, next_attempt_at)
                values (?, ?, ?)
                on conflict (study_instance_uid) do update set enqueued_at = excluded.enqueued_at,
                    next_attempt_at = excluded.next_attempt_at, sent_at = null, attempts = 0
                """)) {
      drop.setString(1, studyUid);
      drop.executeUpdate();
      Timestamp ts = Timestamp.from(now);
      st.setString(1, studyUid);
      st.setTimestamp(2, ts);
      st.setTimestamp(3, ts);
      st.executeUpdate();
    }
  }

  /** Claims the most overdue unsent withdrawal, leased until {@code leaseUntil}. */
  static Optional<Claimed> claimDue(Connection c, Instant now, Instant leaseUntil)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                update publication_withdrawal w set next_attempt_at = ?
                from (select study_instance_uid from publication_withdrawal
                      where sent_at is null and next_attempt_at <= ?
                      order by next_attempt_at limit 1 for update skip locked) due
                where w.study_instance_uid = due.study_instance_uid
                returning w.study_instance_uid, w.attempts
                """)) {
      st.setTimestamp(1, Timestamp.from(leaseUntil));
      st.setTimestamp(2, Timestamp.from(now));
      try (ResultSet rs = st.executeQuery()) {
        return rs.next()
            ? Optional.of(new Claimed(rs.getString(1), rs.getInt(2)))
            : Optional.empty();
      }
    }
  }

  static void markSent(Connection c, String studyUid, int status, Instant now) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                update publication_withdrawal set sent_at = ?, next_attempt_at = null, last_status = ?,
                    last_error = null, last_attempt_at = ?
                where study_instance_uid = ?
                """)) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setInt(2, status);
      st.setTimestamp(3, Timestamp.from(now));
      st.setString(4, studyUid);
      st.executeUpdate();
    }
  }

  static void markFailed(
      Connection c, String studyUid, Integer status, String error, Instant next, Instant now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                update publication_withdrawal set attempts = attempts + 1, next_attempt_at = ?,
                    last_status = ?, last_error = ?, last_attempt_at = ?
                where study_instance_uid = ?
                """)) {
      st.setTimestamp(1, Timestamp.from(next));
      if (status == null) {
        st.setNull(2, Types.INTEGER);
      } else {
        st.setInt(2, status);
      }
      st.setString(3, error.length() <= 1000 ? error : error.substring(0, 997) + "...");
      st.setTimestamp(4, Timestamp.from(now));
      st.setString(5, studyUid);
      st.executeUpdate();
    }
  }
}
