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
 * track of one. A claim is told by its owner: what settles one (uploaded, failed) applies only to a
 * row still PENDING and still claimed by this run for an upload (not held for a pack, which this
 * run's packer at ingest claims): a worker whose lease ran out and whose row was taken meanwhile (a
 * pack switched it, another worker has it) learns so (false) and leaves the winner's state alone.
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

  /** The row still claimed for this run's upload. */
  private static final String OWN_UPLOAD_CLAIM =
      " and blob_state = 'PENDING' and blob_claimed_by = ? and not blob_claim_held";

  /**
   * The claimed upload done: UPLOADED. False (nothing changed) when the row is no longer this run's
   * upload claim: its lease ran out and another took it (a pack switched it, another worker has
   * it); the caller then deals with the object it wrote ({@link #deleteUnreferenced}).
   */
  public boolean markUploaded(String sopInstanceUid) throws SQLException {
    long run = owner.id();
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                     update instance set blob_state = 'UPLOADED', blob_attempts = blob_attempts + 1,
                         blob_next_attempt_at = null, blob_claimed_by = null
                     where sop_instance_uid = ?"""
                    + OWN_UPLOAD_CLAIM)) {
      st.setString(1, sopInstanceUid);
      st.setLong(2, run);
      return st.executeUpdate() == 1;
    }
  }

  /**
   * An upload made without a claim (the verifier's repair, which queued the row itself): UPLOADED
   * unless someone claimed it meanwhile (who then settles it) or it no longer points at its own
   * object.
   */
  public boolean markUploadedUnclaimed(String sopInstanceUid, String blobName) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                     update instance set blob_state = 'UPLOADED', blob_attempts = blob_attempts + 1,
                         blob_next_attempt_at = null
                     where sop_instance_uid = ? and blob_state = 'PENDING'
                       and blob_claimed_by is null and blob_name = ? and pack_offset is null""")) {
      st.setString(1, sopInstanceUid);
      st.setString(2, blobName);
      return st.executeUpdate() == 1;
    }
  }

  /**
   * Deletes an object a worker wrote after it lost its claim, unless the instance still points at
   * it (as its own object: another worker's upload of the same name, a repair): the instance's row
   * lock is held meanwhile, so that nothing points the instance at that name in between. Deleted
   * too when the instance is gone: its study's deletion ran while the object was being written and
   * has already deleted that name, so nothing else would. True when deleted.
   */
  public boolean deleteUnreferenced(
      String sopInstanceUid, String blobName, PackIndex.Deletion delete)
      throws SQLException, java.io.IOException {
    return RowLockedDeletion.deleteUnlessInUse(
        db, sopInstanceUid, blobName, RowLockedDeletion.ownObject(), delete, c -> {});
  }

  /** A failed attempt of this run's claimed upload; false when the claim was no longer its. */
  public boolean markUploadFailed(String sopInstanceUid, int attempts, Instant nextAttemptAt)
      throws SQLException {
    return markFailed(sopInstanceUid, attempts, nextAttemptAt, "");
  }

  /**
   * An upload refused because the cache file's bytes are not the indexed ones: a failed attempt
   * (back-off as any), and the instance first in line for the fixity job (as if never checked),
   * which repairs the cache file from an intact copy or reports the instance unrepairable.
   */
  public boolean markUploadRefused(String sopInstanceUid, int attempts, Instant nextAttemptAt)
      throws SQLException {
    return markFailed(
        sopInstanceUid,
        attempts,
        nextAttemptAt,
        ", fixity_checked_at = timestamp with time zone 'epoch'");
  }

  private boolean markFailed(
      String sopInstanceUid, int attempts, Instant nextAttemptAt, String also) throws SQLException {
    long run = owner.id();
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set blob_attempts = ?, blob_next_attempt_at = ?,"
                    + " blob_claimed_by = null"
                    + also
                    + " where sop_instance_uid = ?"
                    + OWN_UPLOAD_CLAIM)) {
      st.setInt(1, attempts);
      st.setTimestamp(2, Timestamp.from(nextAttemptAt));
      st.setString(3, sopInstanceUid);
      st.setLong(4, run);
      return st.executeUpdate() == 1;
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
