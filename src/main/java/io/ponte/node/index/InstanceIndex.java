package io.ponte.node.index;

import static io.ponte.node.index.Columns.cut;
import static io.ponte.node.index.Columns.setInt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The index as ingest and storage write it, in plain JDBC: ingest needs insert-on-conflict and row
 * locks, which read most clearly as SQL. Uploads and eviction have their own views ({@link
 * UploadQueue}, {@link CacheIndex}).
 */
@ApplicationScoped
public class InstanceIndex {

  /** Blob states of an instance row. */
  public static final String PENDING = "PENDING";

  public static final String UPLOADED = "UPLOADED";

  @Inject IndexDatabase db;

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
      int blobAttempts,
      long packOffset) {

    public InstanceLocation location() {
      return new InstanceLocation(sopInstanceUid, size, sha256, cachePath, blobName, packOffset);
    }
  }

  /** The result of indexing: inserted, or the row that already holds this SOP Instance UID. */
  public record Insertion(boolean inserted, Row existing) {}

  /**
   * Puts a new instance's bytes in place while its row is inserted but not committed; a failure
   * rolls the row back.
   */
  @FunctionalInterface
  public interface Landing {
    void land() throws IOException;
  }

  /**
   * Indexes study, series and instance in one transaction that commits only after {@code landing}
   * has put the bytes in place, so that no reader ever sees a row whose file is not there: a crash
   * before the commit leaves no row (PostgreSQL rolls the transaction back). When the SOP Instance
   * UID is already indexed nothing changes, {@code landing} is not run and the existing row is
   * returned (a concurrent insert of the same UID waits for the first one to commit or roll back,
   * so exactly one of them inserts).
   */
  public Insertion insert(IndexedInstance i, Instant now, Landing landing)
      throws SQLException, InconsistentHierarchyException, IOException {
    return insert(i, now, now, landing);
  }

  /**
   * As {@link #insert(IndexedInstance, Instant, Landing)}, the instance first due for its upload of
   * its own at {@code uploadDueAt} (later than {@code now} while it is held for a pack).
   */
  public Insertion insert(IndexedInstance i, Instant now, Instant uploadDueAt, Landing landing)
      throws SQLException, InconsistentHierarchyException, IOException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        Insertion result = insert(c, i, Timestamp.from(now), Timestamp.from(uploadDueAt), landing);
        if (result.inserted()) {
          c.commit();
        } else {
          c.rollback();
        }
        return result;
      } catch (SQLException | InconsistentHierarchyException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Indexes an instance held only in Blob (its index lost and rebuilt from the container): study,
   * series and instance as {@link #insert} makes them, received at {@code receivedAt}, the instance
   * UPLOADED with no cache path, all in one transaction. False (nothing changed) when the SOP
   * Instance UID is already indexed, so a rebuild may run again.
   */
  public boolean insertHeldInBlob(IndexedInstance i, Instant receivedAt)
      throws SQLException, InconsistentHierarchyException {
    return insertHeldInBlob(i, receivedAt, null, -1);
  }

  /**
   * As {@link #insertHeldInBlob(IndexedInstance, Instant)}, for an instance found in a pack: its
   * location is {@code packBlobName} from {@code packOffset} (null: its own blob).
   */
  public boolean insertHeldInBlob(
      IndexedInstance i, Instant receivedAt, String packBlobName, long packOffset)
      throws SQLException, InconsistentHierarchyException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        Timestamp at = Timestamp.from(receivedAt);
        Insertion result = insert(c, i, at, at, () -> {});
        if (!result.inserted()) {
          c.rollback();
          return false;
        }
        update(
            c,
            "update instance set cache_path = null, blob_state = 'UPLOADED', blob_attempts = 1,"
                + " blob_next_attempt_at = null where sop_instance_uid = ?",
            i.sopInstanceUid());
        if (packBlobName != null) {
          try (PreparedStatement st =
              c.prepareStatement(
                  "update instance set blob_name = ?, pack_offset = ? where sop_instance_uid = ?")) {
            st.setString(1, packBlobName);
            st.setLong(2, packOffset);
            st.setString(3, i.sopInstanceUid());
            st.executeUpdate();
          }
        }
        c.commit();
        return true;
      } catch (IOException e) {
        c.rollback();
        throw new SQLException("unexpected I/O without a landing", e);
      } catch (SQLException | InconsistentHierarchyException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Which of {@code sopInstanceUids} are indexed already (one query for a page of them). */
  public java.util.Set<String> indexed(List<String> sopInstanceUids) throws SQLException {
    java.util.Set<String> found = new java.util.HashSet<>();
    if (sopInstanceUids.isEmpty()) {
      return found;
    }
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select sop_instance_uid from instance where sop_instance_uid = any(?)")) {
      st.setArray(1, c.createArrayOf("varchar", sopInstanceUids.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
  }

  private static Insertion insert(
      Connection c, IndexedInstance i, Timestamp now, Timestamp uploadDueAt, Landing landing)
      throws SQLException, InconsistentHierarchyException, IOException {
    boolean newStudy = insertStudy(c, i, now);
    boolean newSeries = insertSeries(c, i, now);
    requireSeriesOfStudy(c, i);
    if (insertInstance(c, i, now, uploadDueAt)) {
      refuseWhileBeingDeleted(c, i.studyInstanceUid());
      landing.land();
      if (!newSeries) {
        keepLeastBodyPart(c, i);
      }
      if (!newStudy) {
        touchStudy(c, i, now);
      }
      return new Insertion(true, null);
    }
    return new Insertion(
        false,
        find(c, i.sopInstanceUid())
            .orElseThrow(
                () ->
                    new SQLException(
                        "instance " + i.sopInstanceUid() + " conflicted but is not visible")));
  }

  /**
   * Refuses, for now, an instance of a study whose retention deletion is unfinished (db/node V60
   * {@code retention_deletion}, io.ponte.node.retention): that deletion removes the study's cache
   * files and blobs by name, and this instance's have the same names. Checked once the instance row
   * is inserted, before the bytes land: its reference key-share-locks the study row, which a
   * deletion's first step locks for update (and a study row this transaction created, no deletion
   * sees), so none begins between this check and the commit.
   */
  private static void refuseWhileBeingDeleted(Connection c, String studyUid) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("select 1 from retention_deletion where study_instance_uid = ?")) {
      st.setString(1, studyUid);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          throw new StudyBeingDeletedException(studyUid);
        }
      }
    }
  }

  /** The study row, created by its first instance; true when this one created it. */
  private static boolean insertStudy(Connection c, IndexedInstance i, Timestamp now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                insert into study (study_instance_uid, patient_id, issuer_of_patient_id, patient_name,
                    patient_birth_date, patient_sex, study_date, study_time, accession_number, study_id,
                    study_description, referring_physician_name, created_at, last_received_at,
                    retention_class, retention_ends_on)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (study_instance_uid) do nothing
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
      st.setTimestamp(p++, now);
      st.setTimestamp(p++, now);
      st.setString(p++, i.retentionClass());
      st.setObject(p, i.retentionEndsOn());
      return st.executeUpdate() == 1;
    }
  }

  /**
   * Moves the study's last_received_at, last thing before the commit: the row lock it takes is the
   * one the publisher's snapshot of the study contends for, so it is held only for the commit (not
   * while the file lands) and no instance commits between the publisher's read and its outbox
   * write. Never backwards, so a slow transaction cannot hide a later one from the publisher. A
   * later instance may lengthen the study's retention (never shorten it: when instances disagree,
   * the study is kept as long as the longest of them asks).
   */
  private static void touchStudy(Connection c, IndexedInstance i, Timestamp now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "update study set last_received_at = greatest(last_received_at, ?),"
                + " retention_class = case when retention_ends_on is null or ?::date > retention_ends_on then ?"
                + " else retention_class end,"
                + " retention_ends_on = greatest(retention_ends_on, ?::date)"
                + " where study_instance_uid = ?")) {
      st.setTimestamp(1, now);
      st.setObject(2, i.retentionEndsOn());
      st.setString(3, i.retentionClass());
      st.setObject(4, i.retentionEndsOn());
      st.setString(5, i.studyInstanceUid());
      st.executeUpdate();
    }
  }

  /** The series row, created by its first instance; true when this one created it. */
  private static boolean insertSeries(Connection c, IndexedInstance i, Timestamp now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                insert into series (series_instance_uid, study_instance_uid, modality, series_number,
                    series_description, body_part_examined, created_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (series_instance_uid) do nothing
                """)) {
      st.setString(1, i.seriesInstanceUid());
      st.setString(2, i.studyInstanceUid());
      st.setString(3, cut(i.modality(), 16));
      setInt(st, 4, i.seriesNumber());
      st.setString(5, cut(i.seriesDescription(), 64));
      st.setString(6, cut(i.bodyPartExamined(), 64));
      st.setTimestamp(7, now);
      return st.executeUpdate() == 1;
    }
  }

  /**
   * A later instance of the series names its Body Part Examined when the series has none yet or
   * when its own sorts first (db/node V150: the least value, so that arrival order, concurrent
   * ingest and rebuild-index all reach the same one). Compared in SQL, in the column's collation,
   * as the migration's backfill compares. The UPDATE locks the series row only when it changes it
   * (never when the instances agree, the usual case), and it runs after the bytes landed, so the
   * lock is held only for the commit.
   */
  private static void keepLeastBodyPart(Connection c, IndexedInstance i) throws SQLException {
    String bodyPart = cut(i.bodyPartExamined(), 64);
    if (bodyPart == null) {
      return;
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "update series set body_part_examined = ? where series_instance_uid = ?"
                + " and (body_part_examined is null or body_part_examined > ?)")) {
      st.setString(1, bodyPart);
      st.setString(2, i.seriesInstanceUid());
      st.setString(3, bodyPart);
      st.executeUpdate();
    }
  }

  /** A series stays under the study it was first indexed under. */
  private static void requireSeriesOfStudy(Connection c, IndexedInstance i)
      throws SQLException, InconsistentHierarchyException {
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
  }

  /** True when inserted; false when the SOP Instance UID is already indexed. */
  private static boolean insertInstance(
      Connection c, IndexedInstance i, Timestamp now, Timestamp uploadDueAt) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
                insert into instance (sop_instance_uid, series_instance_uid, study_instance_uid, sop_class_uid,
                    transfer_syntax_uid, instance_number, number_of_frames, rows_, columns_, bits_allocated,
                    size_bytes, sha256, cache_path, blob_name, blob_state, blob_attempts, blob_next_attempt_at,
                    metadata, source_protocol, source_caller, received_at, last_accessed_at, pixel_data_tag)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?::jsonb, ?, ?, ?, ?, ?)
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
      st.setTimestamp(p++, uploadDueAt);
      st.setString(p++, i.metadataJson());
      st.setString(p++, i.sourceProtocol());
      st.setString(p++, cut(i.sourceCaller(), 128));
      st.setTimestamp(p++, now);
      st.setTimestamp(p++, now);
      setInt(st, p, i.pixelDataTag());
      return st.executeUpdate() == 1;
    }
  }

  public Optional<Row> find(String sopInstanceUid) throws SQLException {
    try (Connection c = db.connection()) {
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
   * Puts a cache path back on a row whose file had gone missing or was damaged (healed by an
   * identical re-send, or restored from Blob).
   */
  public void restoreCachePath(String sopInstanceUid, String cachePath) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement("update instance set cache_path = ? where sop_instance_uid = ?")) {
      st.setString(1, cachePath);
      st.setString(2, sopInstanceUid);
      st.executeUpdate();
    }
  }

  /**
   * An instance whose Blob copy is gone, held again in the cache at {@code cachePath}: PENDING, due
   * at {@code now}, so that the upload worker puts it back (and the evictor keeps its file). A
   * packed instance leaves its pack: it goes back up as an object of its own. {@code landing} puts
   * (or finds) the file at {@code cachePath} under the row's lock, which the evictor takes too
   * before it deletes a file it released: so it never deletes one given back to this row (a failing
   * landing leaves the row as it was).
   */
  public void requeueUpload(String sopInstanceUid, String cachePath, Instant now, Landing landing)
      throws SQLException, IOException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement st =
            c.prepareStatement("select 1 from instance where sop_instance_uid = ? for update")) {
          st.setString(1, sopInstanceUid);
          st.executeQuery().close();
        }
        landing.land();
        try (PreparedStatement st =
            c.prepareStatement(
                """
                update instance set cache_path = ?, blob_state = 'PENDING', blob_attempts = 0,
                    blob_next_attempt_at = ?, blob_claimed_by = null, blob_claim_held = false,
                    blob_name = case when pack_offset is null then blob_name
                        else regexp_replace(blob_name, '[^/]*$', sop_instance_uid || '.dcm') end,
                    pack_offset = null
                where sop_instance_uid = ?\
                """)) {
          st.setString(1, cachePath);
          st.setTimestamp(2, Timestamp.from(now));
          st.setString(3, sopInstanceUid);
          st.executeUpdate();
        }
        c.commit();
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * A PENDING instance whose cache file is gone but whose Blob copy is intact (uploaded, not yet
   * marked): UPLOADED, read from Blob from now on.
   */
  public void markHeldInBlobOnly(String sopInstanceUid) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                     update instance set cache_path = null, blob_state = 'UPLOADED',
                         blob_next_attempt_at = null, blob_claimed_by = null, blob_claim_held = false
                     where sop_instance_uid = ?""")) {
      st.setString(1, sopInstanceUid);
      st.executeUpdate();
    }
  }

  /**
   * Up to {@code limit} instance rows after {@code afterSop} (null: from the start), in SOP
   * Instance UID order, PENDING ones only if asked: keyset pages for a walk over the whole index.
   */
  public List<Row> page(String afterSop, int limit, boolean pendingOnly) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select "
                    + ROW_COLUMNS
                    + " from instance where sop_instance_uid > ?"
                    + (pendingOnly ? " and blob_state = 'PENDING'" : "")
                    + " order by sop_instance_uid limit ?")) {
      st.setString(1, afterSop == null ? "" : afterSop);
      st.setInt(2, limit);
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs));
        }
      }
      return rows;
    }
  }

  /**
   * Removes an instance the node does not hold (its row outlived a crash, its bytes never landed),
   * with its series and study when nothing else is left in them, so that no search lists it; a
   * series left has its Body Part Examined taken again from the instances it still has. Returns
   * whether a row was removed.
   */
  public boolean forget(String sopInstanceUid) throws SQLException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        Optional<Row> row = find(c, sopInstanceUid);
        if (row.isEmpty()) {
          c.rollback();
          return false;
        }
        update(c, "delete from instance where sop_instance_uid = ?", sopInstanceUid);
        update(
            c,
            "delete from series se where series_instance_uid = ?"
                + " and not exists (select 1 from instance i where i.series_instance_uid = se.series_instance_uid)",
            row.get().seriesInstanceUid());
        // The series' Body Part Examined may have been this instance's: the rest name it again, by
        // the rule of V150 over their DICOM JSON (a read this rare path can afford).
        update(
            c,
            "update series se set body_part_examined = (select min(left(nullif(trim("
                + "i.metadata -> '00180015' -> 'Value' ->> 0), ''), 64)) from instance i"
                + " where i.series_instance_uid = se.series_instance_uid)"
                + " where series_instance_uid = ?",
            row.get().seriesInstanceUid());
        update(
            c,
            "delete from study st where study_instance_uid = ?"
                + " and not exists (select 1 from series se where se.study_instance_uid = st.study_instance_uid)",
            row.get().studyInstanceUid());
        c.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static void update(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, param);
      st.executeUpdate();
    }
  }

  /**
   * Marks the instances a retrieve addresses (a study, a series of it, or one instance: {@code
   * series} and {@code sop} may be null) as accessed at {@code now}, in one autocommitted UPDATE.
   * Rows marked less than {@code granularity} ago are left alone: not even locked, so a retrieve
   * repeated within it (a viewer's frames) writes nothing and its commit flushes no WAL. Rows
   * locked by someone else (the evictor re-checking a study, an upload being confirmed) are skipped
   * rather than waited for: the evictor ranks a study by its most recent instance, so the rest of
   * the request's rows carry the access. Returns the rows updated.
   */
  public int recordAccess(
      String study, String series, String sop, Instant now, Duration granularity)
      throws SQLException {
    StringBuilder where = new StringBuilder("study_instance_uid = ?");
    if (series != null) {
      where.append(" and series_instance_uid = ?");
    }
    if (sop != null) {
      where.append(" and sop_instance_uid = ?");
    }
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set last_accessed_at = ?"
                    + " where sop_instance_uid in (select sop_instance_uid from instance where "
                    + where
                    + " and (last_accessed_at is null or last_accessed_at < ?)"
                    + " for update skip locked)")) {
      int p = 1;
      st.setTimestamp(p++, Timestamp.from(now));
      st.setString(p++, study);
      if (series != null) {
        st.setString(p++, series);
      }
      if (sop != null) {
        st.setString(p++, sop);
      }
      st.setTimestamp(p, Timestamp.from(now.minus(granularity)));
      return st.executeUpdate();
    }
  }

  static final String ROW_COLUMNS =
      "study_instance_uid, series_instance_uid, sop_instance_uid, sha256, "
          + "size_bytes, cache_path, blob_name, blob_state, blob_attempts, pack_offset";

  static Row row(ResultSet rs) throws SQLException {
    return new Row(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getInt(9),
        InstanceLocation.packOffset(rs, 10));
  }

  /**
   * An instance of a study whose retention deletion is not finished yet: refused for now (a
   * transient failure: once {@code ponte node delete-expired} has finished it, the same send is
   * stored).
   */
  public static class StudyBeingDeletedException extends java.sql.SQLTransientException {
    public StudyBeingDeletedException(String studyUid) {
      // the reason first: a DIMSE Error Comment keeps 64 characters
      super(
          "study being deleted; send again later ("
              + studyUid
              + ": its retention ended, and ponte node delete-expired has not finished deleting"
              + " it)");
    }
  }

  /** A series UID that arrives under a different study than the one it was first indexed under. */
  public static class InconsistentHierarchyException extends Exception {
    public InconsistentHierarchyException(String message) {
      super(message);
    }
  }
}
