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
import java.util.Objects;
import java.util.Optional;

/**
 * The index's view for fixity checks (db/node V70; the replica's state from V80): the least
 * recently verified instances, the outcome of each check, and a row lock under which a repair may
 * touch an instance's copies without the evictor releasing its cache file meanwhile.
 */
@ApplicationScoped
public class FixityIndex {

  /** Outcomes recorded per instance. */
  public static final String OK = "OK";

  public static final String REPAIRED = "REPAIRED";
  public static final String UNREPAIRABLE = "UNREPAIRABLE";

  /** Not decidable now (Blob unreachable, blob archived): checked again in a later cycle. */
  public static final String DEFERRED = "DEFERRED";

  @Inject IndexDatabase db;

  /** An instance as a fixity check needs it: its location, upload state and Blob tier. */
  public record Candidate(
      InstanceLocation location,
      String studyInstanceUid,
      boolean uploaded,
      boolean archived,
      Instant lastVerifiedAt,
      boolean replicated) {}

  /**
   * Up to {@code limit} instances, least recently verified first (receipt counts as a
   * verification), so that repeated runs walk the whole index and start over.
   */
  public List<Candidate> leastRecentlyVerified(int limit) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                    select sop_instance_uid, size_bytes, sha256, cache_path, blob_name, study_instance_uid,
                           blob_state = 'UPLOADED', access_tier = 'ARCHIVE' or rehydrating_since is not null,
                           coalesce(fixity_checked_at, received_at), replica_state = 'REPLICATED', pack_offset
                    from instance
                    order by coalesce(fixity_checked_at, received_at), sop_instance_uid
                    limit ?""")) {
      st.setInt(1, limit);
      List<Candidate> sample = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          sample.add(
              new Candidate(
                  InstanceLocation.read(rs, 1, 11),
                  rs.getString(6),
                  rs.getBoolean(7),
                  rs.getBoolean(8),
                  rs.getTimestamp(9).toInstant(),
                  rs.getBoolean(10)));
        }
      }
      return sample;
    }
  }

  /** Records a check of the instance at {@code at} with its outcome. */
  public void recordCheck(String sopInstanceUid, Instant at, String outcome) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set fixity_checked_at = ?, fixity_outcome = ?"
                    + " where sop_instance_uid = ?")) {
      st.setTimestamp(1, Timestamp.from(at));
      st.setString(2, outcome);
      st.setString(3, sopInstanceUid);
      st.executeUpdate();
    }
  }

  /** The instance's cache path now (empty when it has none or the row is gone). */
  public Optional<String> cachePath(String sopInstanceUid) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement("select cache_path from instance where sop_instance_uid = ?")) {
      st.setString(1, sopInstanceUid);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Work on an instance's copies that must not race the evictor. */
  @FunctionalInterface
  public interface Repair {
    boolean run() throws Exception;
  }

  /**
   * Runs {@code repair} holding the instance's row lock, if its cache path is still {@code
   * expectedCachePath}: the evictor locks the row before it forgets a cache path, so it waits until
   * the repair is done instead of deleting the one intact copy beneath it. Returns the repair's
   * result, or false when the row changed (evicted or gone) and nothing ran.
   */
  public boolean repairUnderLock(String sopInstanceUid, String expectedCachePath, Repair repair)
      throws Exception {
    return repairUnderLock(sopInstanceUid, expectedCachePath, repair, null);
  }

  /**
   * The same for a repair that rewrote a packed instance's blob as an object of its own: once it
   * succeeded, the instance leaves {@code leftPack} (points at its own name) before the row lock is
   * released, so the packer's clean-up, which takes the same lock, never deletes that object as a
   * superseded single blob. False when the instance was no longer in that pack.
   */
  public boolean repairUnderLock(
      String sopInstanceUid, String expectedCachePath, Repair repair, String leftPack)
      throws Exception {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement st =
          c.prepareStatement(
              "select cache_path from instance where sop_instance_uid = ? for update")) {
        st.setString(1, sopInstanceUid);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next() || !Objects.equals(rs.getString(1), expectedCachePath)) {
            c.rollback();
            return false;
          }
        }
        boolean done = repair.run();
        if (done && leftPack != null) {
          done = PackIndex.unpack(c, sopInstanceUid, leftPack);
        }
        c.commit();
        return done;
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Instances whose last check found no intact copy to repair from. */
  public long unrepairable() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select count(*) from instance where fixity_outcome = '" + UNREPAIRABLE + "'");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * When the least recently verified instance was last verified (checked, or received), or null for
   * an empty index: how far behind the cycle is.
   */
  public Instant oldestVerification() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select coalesce(fixity_checked_at, received_at) from instance"
                    + " order by coalesce(fixity_checked_at, received_at), sop_instance_uid limit 1");
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getTimestamp(1).toInstant() : null;
    }
  }
}
