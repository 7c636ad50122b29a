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

  /**
   * A claimed withdrawal; {@code lease} is its next_attempt_at as stored by the claim, which {@link
   * #markSent} checks: a withdrawal queued again meanwhile is not marked sent.
   */
  public record Claimed(String studyInstanceUid, int attempts, Timestamp lease) {}

  /**
   * Queues the withdrawal of {@code studyUid} on {@code c} (the caller's transaction); a pending
   * publication of the study is dropped with it, so it cannot be claimed afterwards. One already
   * claimed may be on its way to the hub right now: the withdrawal is due no sooner than that
   * claim's lease ends (by then the PUT was answered or given up), so the hub gets the DELETE after
   * it. A publication only backing off delays it the same way, by at most the retry maximum. Should
   * the PUT still reach the hub after the withdrawal, {@link #followPublication} sends it again.
   */
  public static void enqueue(Connection c, String studyUid, Instant now) throws SQLException {
    try (PreparedStatement st =
            c.prepareStatement(
                """
                insert into publication_withdrawal (study_instance_uid, enqueued_at, next_attempt_at)
                values (?, ?, greatest(?, (select p.next_attempt_at from publication_outbox p
                                          where p.study_instance_uid = ? and p.sent_at is null
                                            and p.payload is not null and p.refused_at is null)))
                on conflict (study_instance_uid) do update set enqueued_at = excluded.enqueued_at,
                    next_attempt_at = excluded.next_attempt_at, sent_at = null, attempts = 0
                """);
        PreparedStatement drop =
            c.prepareStatement("delete from publication_outbox where study_instance_uid = ?")) {
      Timestamp ts = Timestamp.from(now);
      st.setString(1, studyUid);
      st.setTimestamp(2, ts);
      st.setTimestamp(3, ts);
      st.setString(4, studyUid);
      st.executeUpdate();
      drop.setString(1, studyUid);
      drop.executeUpdate();
    }
  }

  /**
   * After an attempt to publish {@code row} ended, whatever its outcome: if the study was withdrawn
   * since the row was claimed (its withdrawal is unsent, or was sent after the claim: a publication
   * is never claimed while its study's withdrawal is unsent, see PublicationOutbox#claimDue), the
   * PUT may have reached the hub after the withdrawal's DELETE and listed a study the node deleted.
   * The withdrawal is then due again (at {@code dueAt}: now after an HTTP answer, else when the
   * claim's lease ends, since the hub may still be processing the request; a withdrawal on its way
   * right now is then not marked sent: {@link #markSent}), and a publication of the study sent
   * again since is made due again too, after it (claimDue waits for the withdrawal), so the hub
   * ends with what the node holds. True when the withdrawal was queued again.
   */
  public static boolean followPublication(
      Connection c, PublicationOutbox.Claimed row, Instant dueAt) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                update publication_withdrawal set sent_at = null, attempts = 0, next_attempt_at = ?
                where study_instance_uid = ? and (sent_at is null or sent_at >= ?)
                """)) {
      st.setTimestamp(1, Timestamp.from(dueAt));
      st.setString(2, row.studyInstanceUid());
      st.setTimestamp(3, Timestamp.from(row.claimedAt()));
      if (st.executeUpdate() == 0) {
        return false;
      }
    }
    try (PreparedStatement st =
        c.prepareStatement(
            """
                update publication_outbox set generation = nextval('publication_outbox_generation_seq'), sent_at = null,
                    sent_sha256 = null, next_attempt_at = ?
                where study_instance_uid = ? and payload is not null and refused_at is null
                """)) {
      st.setTimestamp(1, Timestamp.from(dueAt));
      st.setString(2, row.studyInstanceUid());
      st.executeUpdate();
    }
    return true;
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
                returning w.study_instance_uid, w.attempts, w.next_attempt_at
                """)) {
      st.setTimestamp(1, Timestamp.from(leaseUntil));
      st.setTimestamp(2, Timestamp.from(now));
      try (ResultSet rs = st.executeQuery()) {
        return rs.next()
            ? Optional.of(new Claimed(rs.getString(1), rs.getInt(2), rs.getTimestamp(3)))
            : Optional.empty();
      }
    }
  }

  static void markSent(Connection c, String studyUid, int status, Instant now) throws SQLException {
    markSent(c, studyUid, null, status, now);
  }

  /**
   * Marks the withdrawal sent; with {@code claimed}, only while it is still that claim (not queued
   * again meanwhile by a deletion or {@link #followPublication}: then it is due again). False when
   * it was not marked.
   */
  static boolean markSent(Connection c, String studyUid, Claimed claimed, int status, Instant now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                update publication_withdrawal set sent_at = ?, next_attempt_at = null, last_status = ?,
                    last_error = null, last_attempt_at = ?
                where study_instance_uid = ? and (?::timestamptz is null or next_attempt_at = ?)
                """)) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setInt(2, status);
      st.setTimestamp(3, Timestamp.from(now));
      st.setString(4, studyUid);
      Timestamp lease = claimed == null ? null : claimed.lease();
      st.setTimestamp(5, lease);
      st.setTimestamp(6, lease);
      return st.executeUpdate() == 1;
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
