package io.ponte.node.retention;

import io.agroal.api.AgroalDataSource;
import io.ponte.node.audit.NodeAuditEvent;
import io.ponte.node.audit.NodeAuditLog;
import io.ponte.node.publish.WithdrawalOutbox;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The retention columns of the node's study index (db/node V60) and the deletion queue, in plain
 * JDBC like the rest of the index: holds and withdrawals are conditional updates under a row lock,
 * which read most clearly as SQL.
 */
@ApplicationScoped
public class RetentionIndex {

  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  @Inject NodeAuditLog audit;

  /** A study as retention sees it. */
  public record StudyTerms(
      String studyInstanceUid,
      String patientId,
      String studyDate,
      String retentionClass,
      LocalDate endsOn,
      Instant heldAt,
      String heldBy,
      String holdReason,
      int instances) {

    public boolean held() {
      return heldAt != null;
    }
  }

  /** A study still undecided (indexed before V60). */
  record Undecided(String studyInstanceUid, String studyDate, Instant createdAt) {}

  /** Takes one instance's indexed DICOM JSON metadata (null when none was indexed). */
  @FunctionalInterface
  interface MetadataVisitor {
    void visit(String metadata);
  }

  /** An object of a study being deleted. */
  record DeletionObject(String sopInstanceUid, String cachePath, String blobName) {}

  /** A study taken out of the index and not yet fully deleted. */
  record Deletion(
      String studyInstanceUid,
      String patientId,
      String retentionClass,
      LocalDate endsOn,
      int instances,
      String withdrawnBy) {}

  /** Counts for the gauges. */
  record Counts(long held, long expired, long deleting, long undecided) {}

  private static final String TERMS =
      "select s.study_instance_uid, s.patient_id, s.study_date, s.retention_class,"
          + " s.retention_ends_on, s.held_at, s.held_by, s.hold_reason,"
          + " (select count(*) from instance i where i.study_instance_uid = s.study_instance_uid)"
          + " from study s";

  Connection connection() throws SQLException {
    return dataSource.get().getConnection();
  }

  public Optional<StudyTerms> find(String studyUid) throws SQLException {
    try (Connection c = connection()) {
      return find(c, studyUid, false);
    }
  }

  private static Optional<StudyTerms> find(Connection c, String studyUid, boolean lock)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            TERMS + " where s.study_instance_uid = ?" + (lock ? " for update of s" : ""))) {
      st.setString(1, studyUid);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(terms(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Studies whose retention ended on or before {@code today}, held or not, oldest end first, after
   * {@code afterUid} in keyset order when given (a page of at most {@code limit}).
   */
  List<StudyTerms> expired(LocalDate today, LocalDate afterEnd, String afterUid, int limit)
      throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                TERMS
                    + " where s.retention_ends_on <= ?"
                    + " and (s.retention_ends_on, s.study_instance_uid) > (?, ?)"
                    + " order by s.retention_ends_on, s.study_instance_uid limit ?")) {
      st.setObject(1, today);
      st.setObject(2, afterEnd == null ? LocalDate.of(1, 1, 1) : afterEnd);
      st.setString(3, afterUid == null ? "" : afterUid);
      st.setInt(4, limit);
      List<StudyTerms> found = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.add(terms(rs));
        }
      }
      return found;
    }
  }

  /** Up to {@code limit} studies with no retention yet. */
  List<Undecided> undecided(int limit) throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select s.study_instance_uid, s.study_date, s.created_at
                from study s where s.retention_ends_on is null limit ?
                """)) {
      st.setInt(1, limit);
      List<Undecided> found = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.add(
              new Undecided(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
        }
      }
      return found;
    }
  }

  /**
   * Hands {@code visitor} the metadata of every instance of the study, read through a cursor (a
   * study may hold thousands): its instances may ask for different retention.
   */
  void eachInstanceMetadata(String studyUid, MetadataVisitor visitor) throws SQLException {
    try (Connection c = connection()) {
      c.setAutoCommit(false); // PostgreSQL streams a result set only inside a transaction
      try (PreparedStatement st =
          c.prepareStatement("select metadata::text from instance where study_instance_uid = ?")) {
        st.setFetchSize(256);
        st.setString(1, studyUid);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            visitor.visit(rs.getString(1));
          }
        }
      } finally {
        c.rollback();
      }
    }
  }

  /** Records a decision for a study still undecided (an ingest meanwhile may have decided it). */
  void decide(String studyUid, String retentionClass, LocalDate endsOn) throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                "update study set retention_class = ?, retention_ends_on = ?"
                    + " where study_instance_uid = ? and retention_ends_on is null")) {
      st.setString(1, retentionClass);
      st.setObject(2, endsOn);
      st.setString(3, studyUid);
      st.executeUpdate();
    }
  }

  /**
   * Sets a legal hold and audits it in one transaction. Returns the study as it was before: empty
   * when unknown, held when it already was (then nothing changes).
   */
  Optional<StudyTerms> hold(String studyUid, String reason, String by, NodeAuditEvent event)
      throws SQLException {
    return change(
        studyUid,
        before -> !before.held(),
        "update study set held_at = ?, held_by = ?, hold_reason = ? where study_instance_uid = ?",
        new Object[] {Timestamp.from(event.occurredAt()), by, reason, studyUid},
        event);
  }

  /** Releases a legal hold and audits it; the study as it was (not held: nothing changes). */
  Optional<StudyTerms> release(String studyUid, NodeAuditEvent event) throws SQLException {
    return change(
        studyUid,
        StudyTerms::held,
        "update study set held_at = null, held_by = null, hold_reason = null"
            + " where study_instance_uid = ?",
        new Object[] {studyUid},
        event);
  }

  private Optional<StudyTerms> change(
      String studyUid,
      java.util.function.Predicate<StudyTerms> applies,
      String sql,
      Object[] params,
      NodeAuditEvent event)
      throws SQLException {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        Optional<StudyTerms> before = find(c, studyUid, true);
        if (before.isPresent() && applies.test(before.get())) {
          try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
              st.setObject(i + 1, params[i]);
            }
            st.executeUpdate();
          }
          audit.recordIn(c, event);
        }
        c.commit();
        return before;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Takes a study whose retention ended out of the index, in one transaction: re-checked under its
   * row lock (not held, ended on or before {@code today}), its objects listed in the deletion
   * queue, its index rows removed (from the commit on no query, retrieve or publication sees it),
   * and its withdrawal from the hub queued. False when it no longer qualifies (held or lengthened
   * meanwhile, or gone) or an earlier deletion of it is unfinished.
   */
  boolean withdraw(String studyUid, LocalDate today, String by, Instant now) throws SQLException {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        Optional<StudyTerms> terms = find(c, studyUid, true);
        if (terms.isEmpty()
            || terms.get().held()
            || terms.get().endsOn() == null
            || terms.get().endsOn().isAfter(today)) {
          c.rollback();
          return false;
        }
        StudyTerms t = terms.get();
        try (PreparedStatement st =
            c.prepareStatement(
                """
                insert into retention_deletion (study_instance_uid, patient_id, retention_class,
                    retention_ends_on, instances, withdrawn_at, withdrawn_by)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (study_instance_uid) do nothing
                """)) {
          st.setString(1, studyUid);
          st.setString(2, t.patientId());
          st.setString(3, t.retentionClass());
          st.setObject(4, t.endsOn());
          st.setInt(5, t.instances());
          st.setTimestamp(6, Timestamp.from(now));
          st.setString(7, by);
          if (st.executeUpdate() == 0) {
            // its earlier deletion is unfinished (indexed again before ingest refused that): a
            // later run, once that is finished
            c.rollback();
            return false;
          }
        }
        update(
            c,
            """
            insert into retention_deletion_object (study_instance_uid, sop_instance_uid, cache_path, blob_name)
            select study_instance_uid, sop_instance_uid, cache_path, blob_name from instance
            where study_instance_uid = ?
            """,
            studyUid);
        WithdrawalOutbox.enqueue(c, studyUid, now);
        update(c, "delete from instance where study_instance_uid = ?", studyUid);
        update(c, "delete from series where study_instance_uid = ?", studyUid);
        update(c, "delete from study where study_instance_uid = ?", studyUid);
        c.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Studies taken out of the index whose deletion is not finished (a rerun finishes them). */
  List<Deletion> unfinished() throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                "select study_instance_uid, patient_id, retention_class, retention_ends_on,"
                    + " instances, withdrawn_by from retention_deletion order by withdrawn_at");
        ResultSet rs = st.executeQuery()) {
      List<Deletion> found = new ArrayList<>();
      while (rs.next()) {
        found.add(
            new Deletion(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getObject(4, LocalDate.class),
                rs.getInt(5),
                rs.getString(6)));
      }
      return found;
    }
  }

  List<DeletionObject> objects(String studyUid, int limit) throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                "select sop_instance_uid, cache_path, blob_name from retention_deletion_object"
                    + " where study_instance_uid = ? order by sop_instance_uid limit ?")) {
      st.setString(1, studyUid);
      st.setInt(2, limit);
      List<DeletionObject> found = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.add(new DeletionObject(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
      return found;
    }
  }

  /**
   * Whether nothing names {@code blobName}, an object under {@code study}'s prefix (only an
   * instance of that study can name it): see {@link #named}.
   */
  boolean unnamed(String study, String blobName) throws SQLException {
    try (Connection c = connection()) {
      return !named(c, study, blobName);
    }
  }

  /**
   * Whether an instance names {@code blobName} (as its object or pack, its replica pack, or its own
   * object's name, which the replica, or a pack's superseded object, may hold it under), or a pack
   * journal of the primary or the replica does.
   */
  private static boolean named(Connection c, String study, String blobName) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
            select 1 from instance where study_instance_uid = ?
                and (blob_name = ? or replica_pack = ?
                     or regexp_replace(blob_name, '[^/]*$', sop_instance_uid || '.dcm') = ?)
            limit 1""")) {
      st.setString(1, study);
      for (int i = 2; i <= 4; i++) {
        st.setString(i, blobName);
      }
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          return true;
        }
      }
    }
    try (PreparedStatement st =
        c.prepareStatement(
            """
            select exists (select 1 from pack_journal where blob_name = ?)
                or exists (select 1 from replica_pack_journal where blob_name = ?)""")) {
      st.setString(1, blobName);
      st.setString(2, blobName);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * What the index names while one object of a deletion is removed ({@link #removeUnlessNamed}): an
   * instance of the study may have been indexed again since step 1 (sent again before ingest
   * refused a study being deleted), under the same deterministic names.
   */
  static final class Named {
    private final Connection c;
    private final String study;
    private final String liveCachePath;

    private Named(Connection c, String study, String liveCachePath) {
      this.c = c;
      this.study = study;
      this.liveCachePath = liveCachePath;
    }

    /** Whether the object's instance, indexed again, has this cache file. */
    boolean cachePath(String cachePath) {
      return cachePath.equals(liveCachePath);
    }

    boolean blob(String blobName) throws SQLException {
      return named(c, study, blobName);
    }
  }

  /** Removes what of a deletion's object nothing {@link Named names}. */
  @FunctionalInterface
  interface Removal {
    void remove(Named named) throws IOException, SQLException;
  }

  /**
   * Removes one object of a deletion and settles it (its row in the queue goes, whether its cache
   * file and blobs were removed or kept because named), in one transaction that holds the row lock
   * of the instance if it was indexed again: whatever gives it a cache path or points it at an
   * object (a heal, a requeue, a pack switch) takes that lock too, so it cannot interleave between
   * the decision and the deletion. An instance being indexed right now cannot be (ingest refuses a
   * study whose deletion is unfinished: InstanceIndex#insert). A failure leaves the object queued.
   */
  void removeUnlessNamed(String studyUid, DeletionObject o, Removal removal)
      throws SQLException, IOException {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        String liveCachePath = null;
        try (PreparedStatement st =
            c.prepareStatement(
                "select cache_path from instance where sop_instance_uid = ? for update")) {
          st.setString(1, o.sopInstanceUid());
          try (ResultSet rs = st.executeQuery()) {
            if (rs.next()) {
              liveCachePath = rs.getString(1);
            }
          }
        }
        removal.remove(new Named(c, studyUid, liveCachePath));
        try (PreparedStatement st =
            c.prepareStatement(
                "delete from retention_deletion_object where study_instance_uid = ?"
                    + " and sop_instance_uid = ?")) {
          st.setString(1, studyUid);
          st.setString(2, o.sopInstanceUid());
          st.executeUpdate();
        }
        c.commit();
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Ends a deletion whose objects are all gone, with its audit record, in one transaction. */
  void finish(String studyUid, NodeAuditEvent event) throws SQLException {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        update(c, "delete from retention_deletion where study_instance_uid = ?", studyUid);
        audit.recordIn(c, event);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  Counts counts(LocalDate today) throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select (select count(*) from study where held_at is not null),
                       (select count(*) from study where held_at is null and retention_ends_on <= ?),
                       (select count(*) from retention_deletion),
                       (select count(*) from study where retention_ends_on is null)
                """)) {
      st.setObject(1, today);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
      }
    }
  }

  private static void update(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, param);
      st.executeUpdate();
    }
  }

  private static StudyTerms terms(ResultSet rs) throws SQLException {
    Timestamp held = rs.getTimestamp(6);
    return new StudyTerms(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getObject(5, LocalDate.class),
        held == null ? null : held.toInstant(),
        rs.getString(7),
        rs.getString(8),
        rs.getInt(9));
  }
}
