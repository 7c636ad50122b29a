package io.ponte.node.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The index's view for Blob access tiers: studies the tier policy must look at, their instances
 * still warmer than a target tier, the tier recorded per instance and study, the last access of a
 * study (written at most once a day), and the rehydration state of archived instances. Tiers are
 * stored by name (HOT, COOL, COLD, ARCHIVE), warmest first in {@link #TIERS}.
 */
@ApplicationScoped
public class TierIndex {

  /** Tier names, warmest first: the order the policy moves instances in. */
  public static final List<String> TIERS = List.of("HOT", "COOL", "COLD", "ARCHIVE");

  private static final String RANK = "array_position(array['HOT','COOL','COLD','ARCHIVE'], %s)";

  /** A study as the tier policy judges it. */
  public record TierCandidate(
      String studyInstanceUid,
      String studyDate,
      Instant createdAt,
      Instant lastAccessedAt,
      String accessTier) {}

  /** An instance's blob for a tier change. */
  public record TierCopy(String sopInstanceUid, String blobName, long size, boolean uploaded) {}

  /** Instances and bytes held in one tier. */
  public record TierTotal(long instances, long bytes) {}

  @Inject IndexDatabase db;

  /**
   * Marks the study as read now, unless it was marked less than {@code granularity} ago: an UPDATE
   * that matches no row writes nothing, so repeated retrieves cost one indexed lookup. Returns
   * whether the row was written.
   */
  public boolean recordStudyAccess(String study, Instant now, Duration granularity)
      throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update study set last_accessed_at = ? where study_instance_uid = ?"
                    + " and (last_accessed_at is null or last_accessed_at < ?)")) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setString(2, study);
      st.setTimestamp(3, Timestamp.from(now.minus(granularity)));
      return st.executeUpdate() == 1;
    }
  }

  /** Studies due for a tier review at {@code now} (never reviewed first), at most {@code limit}. */
  public List<TierCandidate> dueStudies(Instant now, int limit) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select study_instance_uid, study_date, created_at, last_accessed_at, access_tier"
                    + " from study where tier_due_at is null or tier_due_at <= ?"
                    + " order by tier_due_at nulls first, study_instance_uid limit ?")) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setInt(2, limit);
      List<TierCandidate> due = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Timestamp accessed = rs.getTimestamp(4);
          due.add(
              new TierCandidate(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getTimestamp(3).toInstant(),
                  accessed == null ? null : accessed.toInstant(),
                  rs.getString(5)));
        }
      }
      return due;
    }
  }

  /** The study's instances whose tier is warmer than {@code tier}, at most {@code limit}. */
  public List<TierCopy> warmerThan(String study, String tier, int limit) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select sop_instance_uid, blob_name, size_bytes, blob_state = 'UPLOADED'"
                    + " from instance where study_instance_uid = ? and "
                    + RANK.formatted("access_tier")
                    + " < "
                    + RANK.formatted("?")
                    + " order by sop_instance_uid limit ?")) {
      st.setString(1, study);
      st.setString(2, tier);
      st.setInt(3, limit);
      List<TierCopy> copies = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          copies.add(
              new TierCopy(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBoolean(4)));
        }
      }
      return copies;
    }
  }

  /** Whether every instance of the study is safe in Blob (only those can change tier). */
  public boolean allUploaded(String study) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select bool_and(blob_state = 'UPLOADED') from instance"
                    + " where study_instance_uid = ?")) {
      st.setString(1, study);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** How many of the study's instances are not yet safe in Blob (0 for an unknown study). */
  public int notInBlob(String study) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select count(*) from instance where study_instance_uid = ?"
                    + " and blob_state <> 'UPLOADED'")) {
      st.setString(1, study);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Records that these instances' blobs are now in {@code tier}. */
  public void markInstances(Collection<String> sops, String tier) throws SQLException {
    if (sops.isEmpty()) {
      return;
    }
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set access_tier = ?, rehydrating_since = null"
                    + " where sop_instance_uid = any(?)")) {
      st.setString(1, tier);
      st.setArray(2, c.createArrayOf("varchar", sops.toArray()));
      st.executeUpdate();
    }
  }

  /** Records the tier the policy applied to the whole study and when to look at it again. */
  public void markStudy(String study, String tier, Instant dueAt) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update study set access_tier = ?, tier_due_at = ? where study_instance_uid = ?")) {
      st.setString(1, tier);
      st.setTimestamp(2, Timestamp.from(dueAt));
      st.setString(3, study);
      st.executeUpdate();
    }
  }

  /** Postpones the study's next review without changing its tier. */
  public void reschedule(String study, Instant dueAt) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement("update study set tier_due_at = ? where study_instance_uid = ?")) {
      st.setTimestamp(1, Timestamp.from(dueAt));
      st.setString(2, study);
      st.executeUpdate();
    }
  }

  /**
   * Records that a rehydration was asked for these instances, keeping the first request's time (the
   * wait runs from it); returns each instance's request time.
   */
  public Map<String, Instant> markRehydrating(Collection<String> sops, Instant now)
      throws SQLException {
    Map<String, Instant> since = new LinkedHashMap<>();
    if (sops.isEmpty()) {
      return since;
    }
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set rehydrating_since = coalesce(rehydrating_since, ?)"
                    + " where sop_instance_uid = any(?)"
                    + " returning sop_instance_uid, rehydrating_since")) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setArray(2, c.createArrayOf("varchar", sops.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          since.put(rs.getString(1), rs.getTimestamp(2).toInstant());
        }
      }
    }
    return since;
  }

  /**
   * Records that rehydrated instances are readable again in {@code tier}; their study counts as
   * warm again and is reviewed by the policy at its next run (it cools down from there).
   */
  public void markRehydrated(String study, Collection<String> sops, String tier)
      throws SQLException {
    markInstances(sops, tier);
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update study set access_tier = ?, tier_due_at = null"
                    + " where study_instance_uid = ?")) {
      st.setString(1, tier);
      st.setString(2, study);
      st.executeUpdate();
    }
  }

  /**
   * Instances and bytes per tier (tiers with none are absent): one aggregate over the instance
   * table, run by the policy job after each run for the gauges.
   */
  public Map<String, TierTotal> totals() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select access_tier, count(*), coalesce(sum(size_bytes), 0) from instance"
                    + " group by access_tier");
        ResultSet rs = st.executeQuery()) {
      Map<String, TierTotal> totals = new LinkedHashMap<>();
      while (rs.next()) {
        totals.put(rs.getString(1), new TierTotal(rs.getLong(2), rs.getLong(3)));
      }
      return totals;
    }
  }

  /** The tier recorded for each instance of the study, by SOP Instance UID. */
  public Map<String, String> instanceTiers(String study) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select sop_instance_uid, access_tier from instance where study_instance_uid = ?"
                    + " order by sop_instance_uid")) {
      st.setString(1, study);
      Map<String, String> tiers = new LinkedHashMap<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          tiers.put(rs.getString(1), rs.getString(2));
        }
      }
      return tiers;
    }
  }

  /** The tier the policy last applied to the study; null when there is no such study. */
  /** The advisory lock class of {@link #lockStudy} (its second key is the study's hash). */
  private static final int STUDY_TIER_LOCK = 0x7469_6572;

  /**
   * Held while one study's blobs change tier: the serving node's tier job and an operator's {@code
   * ponte node archive}, another process on the same database, never move the same study at once (a
   * run that had decided on Cool would otherwise move blobs just archived back to Cool, which on
   * Azure starts a rehydration). A session lock on a connection of its own, waited for.
   */
  public StudyLock lockStudy(String study) throws SQLException {
    Connection c = db.connection();
    try (PreparedStatement st = c.prepareStatement("select pg_advisory_lock(?, hashtext(?))")) {
      st.setInt(1, STUDY_TIER_LOCK);
      st.setString(2, study);
      st.execute();
      return new StudyLock(c, study);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** {@link #lockStudy}'s lock; closing releases it. */
  public static final class StudyLock implements AutoCloseable {
    private final Connection connection;
    private final String study;

    private StudyLock(Connection connection, String study) {
      this.connection = connection;
      this.study = study;
    }

    @Override
    public void close() throws SQLException {
      try (PreparedStatement st =
          connection.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
        st.setInt(1, STUDY_TIER_LOCK);
        st.setString(2, study);
        st.execute();
      } finally {
        connection.close();
      }
    }
  }

  public String studyTier(String study) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement("select access_tier from study where study_instance_uid = ?")) {
      st.setString(1, study);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /**
   * Of a study's instances, those whose only copy is an archived blob ({@link
   * WadoInstance#archivedOnly()}): how many, how many of them a rehydration was asked for, and the
   * latest such request.
   */
  public record ArchivedOnly(int instances, int rehydrating, Instant lastRequest) {}

  /** Per study of {@code studies} the node holds, its {@link ArchivedOnly} instances. */
  public Map<String, ArchivedOnly> archivedOnly(Collection<String> studies) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select study_instance_uid,
                       count(*) filter (where archived),
                       count(rehydrating_since) filter (where archived),
                       max(rehydrating_since) filter (where archived)
                from (select study_instance_uid, rehydrating_since,
                             cache_path is null and access_tier = 'ARCHIVE' as archived
                      from instance where study_instance_uid = any(?)) i
                group by study_instance_uid""")) {
      st.setArray(1, c.createArrayOf("varchar", studies.toArray()));
      Map<String, ArchivedOnly> found = new LinkedHashMap<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Timestamp last = rs.getTimestamp(4);
          found.put(
              rs.getString(1),
              new ArchivedOnly(rs.getInt(2), rs.getInt(3), last == null ? null : last.toInstant()));
        }
      }
      return found;
    }
  }
}
