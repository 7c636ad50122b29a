package io.ponte.node.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances not yet safe in Blob (blob_state PENDING), as the upload worker claims and settles
 * them: SKIP LOCKED claims with a lease, so that two workers (or a crash mid-upload) never upload
 * one instance twice at once. A claim names this process's run ({@link ClaimOwner}): a dead run's
 * claims are released at once ({@link DeadClaims}), the lease is only for a live run that lost
 * track of one.
 */
@ApplicationScoped
public class UploadQueue {

  @Inject IndexDatabase db;

  @Inject ClaimOwner owner;

  /**
   * Claims up to {@code limit} PENDING instances whose next attempt is due, for this run, pushing
   * their next attempt to {@code leaseUntil} so that another worker does not upload them twice at
   * once.
   */
  public List<InstanceIndex.Row> claimDueUploads(int limit, Instant now, Instant leaseUntil)
      throws SQLException {
    long run = owner.id();
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                     update instance set blob_next_attempt_at = ?, blob_claimed_by = ?,
                         blob_claim_held = false
                     where sop_instance_uid in (
                         select sop_instance_uid from instance
                         where blob_state = 'PENDING' and blob_next_attempt_at <= ?
                         order by blob_next_attempt_at
                         limit ? for update skip locked)
                     returning\s"""
                    + InstanceIndex.ROW_COLUMNS)) {
      st.setTimestamp(1, Timestamp.from(leaseUntil));
      st.setLong(2, run);
      st.setTimestamp(3, Timestamp.from(now));
      st.setInt(4, limit);
      List<InstanceIndex.Row> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(InstanceIndex.row(rs));
        }
      }
      return rows;
    }
  }

  public void markUploaded(String sopInstanceUid) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                     update instance set blob_state = 'UPLOADED', blob_attempts = blob_attempts + 1,
                         blob_next_attempt_at = null, blob_claimed_by = null
                     where sop_instance_uid = ?""")) {
      st.setString(1, sopInstanceUid);
      st.executeUpdate();
    }
  }

  public void markUploadFailed(String sopInstanceUid, int attempts, Instant nextAttemptAt)
      throws SQLException {
    markFailed(sopInstanceUid, attempts, nextAttemptAt, "");
  }

  /**
   * An upload refused because the cache file's bytes are not the indexed ones: a failed attempt
   * (back-off as any), and the instance first in line for the fixity job (as if never checked),
   * which repairs the cache file from an intact copy or reports the instance unrepairable.
   */
  public void markUploadRefused(String sopInstanceUid, int attempts, Instant nextAttemptAt)
      throws SQLException {
    markFailed(
        sopInstanceUid,
        attempts,
        nextAttemptAt,
        ", fixity_checked_at = timestamp with time zone 'epoch'");
  }

  private void markFailed(String sopInstanceUid, int attempts, Instant nextAttemptAt, String also)
      throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set blob_attempts = ?, blob_next_attempt_at = ?,"
                    + " blob_claimed_by = null"
                    + also
                    + " where sop_instance_uid = ? and blob_state = 'PENDING'")) {
      st.setInt(1, attempts);
      st.setTimestamp(2, Timestamp.from(nextAttemptAt));
      st.setString(3, sopInstanceUid);
      st.executeUpdate();
    }
  }

  /** Instances not yet safe in Blob. */
  public long uploadBacklog() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement("select count(*) from instance where blob_state = 'PENDING'");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
