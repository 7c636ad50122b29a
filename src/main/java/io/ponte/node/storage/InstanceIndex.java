package io.ponte.node.storage;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node's instance index (db/node V1), in plain JDBC: ingest needs insert-on-conflict and row
 * locks, and the upload worker needs SKIP LOCKED claims, which read most clearly as SQL.
 */
@ApplicationScoped
public class InstanceIndex {

  /** Blob states of an instance row. */
  public static final String PENDING = "PENDING";

  public static final String UPLOADED = "UPLOADED";

  // Looked up lazily: on a hub the node datasource is inactive and must not be touched.
  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  /** An instance row as the store, the reader and the workers see it. */
  public record Row(
      String studyInstanceUid,
      String seriesInstanceUid,
      String sopInstanceUid,
      String sha256,
      long size,
      String cachePath,
      String blobName,
      String blobState,
      int blobAttempts) {}

  /** The result of indexing: inserted, or the row that already holds this SOP Instance UID. */
  public record Insertion(boolean inserted, Row existing) {}

  Connection connection() throws SQLException {
    return dataSource.get().getConnection();
  }

  /**
   * Indexes study, series and instance in one transaction. When the SOP Instance UID is already
   * indexed nothing changes and the existing row is returned (a concurrent insert of the same UID
   * waits for the first one to commit, so exactly one of them inserts).
   */
  public Insertion insert(IndexedInstance i, Instant now)
      throws SQLException, InconsistentHierarchyException {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        Insertion result = insert(c, i, now);
        if (result.inserted()) {
          c.commit();
        } else {
          c.rollback();
        }
        return result;
      } catch (SQLException | InconsistentHierarchyException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private Insertion insert(Connection c, IndexedInstance i, Instant now)
      throws SQLException, InconsistentHierarchyException {
    Timestamp ts = Timestamp.from(now);
    try (PreparedStatement st =
        c.prepareStatement(
            """
                insert into study (study_instance_uid, patient_id, issuer_of_patient_id, patient_name,
                    patient_birth_date, patient_sex, study_date, study_time, accession_number, study_id,
                    study_description, referring_physician_name, created_at, last_received_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (study_instance_uid) do update set last_received_at = excluded.last_received_at
                """)) {
      int p = 1;
      st.setString(p++, i.studyInstanceUid());
      st.setString(p++, cut(i.patientId(), 64));
      st.setString(p++, cut(i.issuerOfPatientId(), 64));
      st.setString(p++, cut(i.patientName(), 324));
      st.setString(p++, cut(i.patientBirthDate(), 8));
      st.setString(p++, cut(i.patientSex(), 16));
      st.setString(p++, cut(i.studyDate(), 8));
      st.setString(p++, cut(i.studyTime(), 16));
      st.setString(p++, cut(i.accessionNumber(), 16));
      st.setString(p++, cut(i.studyId(), 16));
      st.setString(p++, cut(i.studyDescription(), 64));
      st.setString(p++, cut(i.referringPhysicianName(), 324));
      st.setTimestamp(p++, ts);
      st.setTimestamp(p, ts);
      st.executeUpdate();
    }
    try (PreparedStatement st =
        c.prepareStatement(
            """
                insert into series (series_instance_uid, study_instance_uid, modality, series_number,
                    series_description, created_at)
                values (?, ?, ?, ?, ?, ?)
                on conflict (series_instance_uid) do nothing
                """)) {
      st.setString(1, i.seriesInstanceUid());
      st.setString(2, i.studyInstanceUid());
      st.setString(3, cut(i.modality(), 16));
      setInt(st, 4, i.seriesNumber());
      st.setString(5, cut(i.seriesDescription(), 64));
      st.setTimestamp(6, ts);
      st.executeUpdate();
    }
    try (PreparedStatement st =
        c.prepareStatement("select study_instance_uid from series where series_instance_uid = ?")) {
      st.setString(1, i.seriesInstanceUid());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        String study = rs.getString(1);
        if (!study.equals(i.studyInstanceUid())) {
          throw new InconsistentHierarchyException(
              "series "
                  + i.seriesInstanceUid()
                  + " already belongs to study "
                  + study
                  + ", not "
                  + i.studyInstanceUid());
        }
      }
    }
    try (PreparedStatement st =
        c.prepareStatement(
            """
                insert into instance (sop_instance_uid, series_instance_uid, study_instance_uid, sop_class_uid,
                    transfer_syntax_uid, instance_number, number_of_frames, rows_, columns_, bits_allocated,
                    size_bytes, sha256, cache_path, blob_name, blob_state, blob_attempts, blob_next_attempt_at,
                    metadata, source_protocol, source_caller, received_at, last_accessed_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?::jsonb, ?, ?, ?, ?)
                on conflict (sop_instance_uid) do nothing
                """)) {
      int p = 1;
      st.setString(p++, i.sopInstanceUid());
      st.setString(p++, i.seriesInstanceUid());
      st.setString(p++, i.studyInstanceUid());
      st.setString(p++, i.sopClassUid());
      st.setString(p++, i.transferSyntaxUid());
      setInt(st, p++, i.instanceNumber());
      setInt(st, p++, i.numberOfFrames());
      setInt(st, p++, i.rows());
      setInt(st, p++, i.columns());
      setInt(st, p++, i.bitsAllocated());
      st.setLong(p++, i.size());
      st.setString(p++, i.sha256());
      st.setString(p++, i.cachePath());
      st.setString(p++, i.blobName());
      st.setTimestamp(p++, ts);
      st.setString(p++, i.metadataJson());
      st.setString(p++, i.source().protocol().name());
      st.setString(p++, cut(i.source().caller(), 128));
      st.setTimestamp(p++, ts);
      st.setTimestamp(p, ts);
      if (st.executeUpdate() == 1) {
        return new Insertion(true, null);
      }
    }
    return new Insertion(
        false,
        find(c, i.sopInstanceUid())
            .orElseThrow(
                () ->
                    new SQLException(
                        "instance " + i.sopInstanceUid() + " conflicted but is not visible")));
  }

  public Optional<Row> find(String sopInstanceUid) throws SQLException {
    try (Connection c = connection()) {
      return find(c, sopInstanceUid);
    }
  }

  private static Optional<Row> find(Connection c, String sopInstanceUid) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("select " + ROW_COLUMNS + " from instance where sop_instance_uid = ?")) {
      st.setString(1, sopInstanceUid);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Puts a cache path back on a row whose file had gone missing (healed by an identical re-send).
   */
  public void restoreCachePath(String sopInstanceUid, String cachePath) throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement("update instance set cache_path = ? where sop_instance_uid = ?")) {
      st.setString(1, cachePath);
      st.setString(2, sopInstanceUid);
      st.executeUpdate();
    }
  }

  /**
   * Claims up to {@code limit} PENDING instances whose next attempt is due, pushing their next
   * attempt to {@code leaseUntil} so that another worker (or a crash mid-upload) does not upload
   * them twice at once.
   */
  public List<Row> claimDueUploads(int limit, Instant now, Instant leaseUntil) throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                     update instance set blob_next_attempt_at = ?
                     where sop_instance_uid in (
                         select sop_instance_uid from instance
                         where blob_state = 'PENDING' and blob_next_attempt_at <= ?
                         order by blob_next_attempt_at
                         limit ? for update skip locked)
                     returning\s"""
                    + ROW_COLUMNS)) {
      st.setTimestamp(1, Timestamp.from(leaseUntil));
      st.setTimestamp(2, Timestamp.from(now));
      st.setInt(3, limit);
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs));
        }
      }
      return rows;
    }
  }

  public void markUploaded(String sopInstanceUid) throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                     update instance set blob_state = 'UPLOADED', blob_attempts = blob_attempts + 1,
                         blob_next_attempt_at = null
                     where sop_instance_uid = ?""")) {
      st.setString(1, sopInstanceUid);
      st.executeUpdate();
    }
  }

  public void markUploadFailed(String sopInstanceUid, int attempts, Instant nextAttemptAt)
      throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                     update instance set blob_attempts = ?, blob_next_attempt_at = ?
                     where sop_instance_uid = ? and blob_state = 'PENDING'""")) {
      st.setInt(1, attempts);
      st.setTimestamp(2, Timestamp.from(nextAttemptAt));
      st.setString(3, sopInstanceUid);
      st.executeUpdate();
    }
  }

  /** Instances not yet safe in Blob. */
  public long uploadBacklog() throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement("select count(*) from instance where blob_state = 'PENDING'");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A study's footprint in the cache, for eviction. */
  public record CachedStudy(
      String studyInstanceUid, long bytes, Instant lastAccessed, boolean allUploaded) {}

  public long cachedBytes() throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                "select coalesce(sum(size_bytes), 0) from instance where cache_path is not null");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Cached studies, least recently accessed first. */
  public List<CachedStudy> cachedStudiesByAccess(int limit) throws SQLException {
    try (Connection c = connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                     select study_instance_uid, sum(size_bytes) filter (where cache_path is not null),
                            max(coalesce(last_accessed_at, received_at)),
                            bool_and(blob_state = 'UPLOADED')
                     from instance group by study_instance_uid
                     having count(cache_path) > 0
                     order by 3 asc limit ?""")) {
      st.setInt(1, limit);
      List<CachedStudy> studies = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          studies.add(
              new CachedStudy(
                  rs.getString(1),
                  rs.getLong(2),
                  rs.getTimestamp(3).toInstant(),
                  rs.getBoolean(4)));
        }
      }
      return studies;
    }
  }

  /**
   * Drops a study's cache paths if, under lock, every instance of it is UPLOADED; returns the paths
   * whose files may now be deleted (empty when the study is not evictable any more).
   */
  public List<String> releaseStudyFromCache(String studyInstanceUid) throws SQLException {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        List<String> paths = new ArrayList<>();
        boolean allUploaded = true;
        try (PreparedStatement st =
            c.prepareStatement(
                """
                        select cache_path, blob_state from instance where study_instance_uid = ?
                        for update""")) {
          st.setString(1, studyInstanceUid);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              allUploaded &= UPLOADED.equals(rs.getString(2));
              if (rs.getString(1) != null) {
                paths.add(rs.getString(1));
              }
            }
          }
        }
        if (!allUploaded || paths.isEmpty()) {
          c.rollback();
          return List.of();
        }
        try (PreparedStatement st =
            c.prepareStatement(
                "update instance set cache_path = null where study_instance_uid = ?")) {
          st.setString(1, studyInstanceUid);
          st.executeUpdate();
        }
        c.commit();
        return paths;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static final String ROW_COLUMNS =
      "study_instance_uid, series_instance_uid, sop_instance_uid, sha256, "
          + "size_bytes, cache_path, blob_name, blob_state, blob_attempts";

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getInt(9));
  }

  private static void setInt(PreparedStatement st, int index, Integer value) throws SQLException {
    if (value == null) {
      st.setNull(index, Types.INTEGER);
    } else {
      st.setInt(index, value);
    }
  }

  /**
   * Index columns are bounded by the VR's maximum; longer (non-conformant) values stay whole in
   * metadata.
   */
  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  /** A series UID that arrives under a different study than the one it was first indexed under. */
  public static class InconsistentHierarchyException extends Exception {
    public InconsistentHierarchyException(String message) {
      super(message);
    }
  }
}
