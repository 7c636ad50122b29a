package io.ponte.node.migrate;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code migration_file} table (owned here): which files of a source are done, written in
 * batches. A file counts as done only with the size and mtime it had when it was done, so a changed
 * file is redone; a file stored but not yet checkpointed when the run died is redone too, and the
 * store answers "duplicate" for it.
 */
@ApplicationScoped
class MigrationCheckpoint {

  // Looked up lazily: on a hub the node datasource is inactive and must not be touched.
  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  /** A stored file whose Blob copy is still to be verified. */
  record Unverified(String path, String sopInstanceUid) {}

  /** The paths of {@code batch} already done with their current size and mtime. */
  Set<String> done(String source, List<SourceFile> batch) throws SQLException {
    Set<String> done = new HashSet<>();
    if (batch.isEmpty()) {
      return done;
    }
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "select path, size_bytes, mtime_ms from migration_file"
                    + " where source = ? and path = any(?)")) {
      Array paths = c.createArrayOf("varchar", batch.stream().map(SourceFile::path).toArray());
      st.setString(1, source);
      st.setArray(2, paths);
      java.util.Map<String, SourceFile> byPath = new java.util.HashMap<>();
      batch.forEach(f -> byPath.put(f.path(), f));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          SourceFile f = byPath.get(rs.getString(1));
          if (f != null && f.size() == rs.getLong(2) && f.mtimeMs() == rs.getLong(3)) {
            done.add(f.path());
          }
        }
      }
    }
    return done;
  }

  /**
   * The instance count recorded with a remote study's marker (outcome STUDY), or null when the
   * study was never completed.
   */
  Long studyMarker(String source, String studyUid) throws SQLException {
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "select size_bytes from migration_file where source = ? and path = ?"
                    + " and outcome = 'STUDY'")) {
      st.setString(1, source);
      st.setString(2, studyUid);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** The paths done under {@code prefix} (a remote study's instances: {@code studyUid/}). */
  Set<String> doneUnder(String source, String prefix) throws SQLException {
    Set<String> done = new HashSet<>();
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "select path from migration_file where source = ? and starts_with(path, ?)")) {
      st.setString(1, source);
      st.setString(2, prefix);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          done.add(rs.getString(1));
        }
      }
    }
    return done;
  }

  /** Records final outcomes in one transaction ({@code FAILED} ones are left out: redone). */
  void record(String source, List<FileOutcome> outcomes, Instant now) throws SQLException {
    try (Connection c = dataSource.get().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement st =
          c.prepareStatement(
              "insert into migration_file (source, path, size_bytes, mtime_ms, outcome,"
                  + " sop_instance_uid, reason, done_at, verified_at)"
                  + " values (?, ?, ?, ?, ?, ?, ?, ?, null)"
                  + " on conflict (source, path) do update set size_bytes = excluded.size_bytes,"
                  + " mtime_ms = excluded.mtime_ms, outcome = excluded.outcome,"
                  + " sop_instance_uid = excluded.sop_instance_uid, reason = excluded.reason,"
                  + " done_at = excluded.done_at, verified_at = null")) {
        for (FileOutcome o : outcomes) {
          if (o.kind() == FileOutcome.Kind.FAILED) {
            continue;
          }
          st.setString(1, source);
          st.setString(2, o.file().path());
          st.setLong(3, o.file().size());
          st.setLong(4, o.file().mtimeMs());
          st.setString(5, o.kind().name());
          st.setString(6, o.sopInstanceUid());
          st.setString(7, o.reason() == null ? null : truncate(o.reason(), 1024));
          st.setTimestamp(8, Timestamp.from(now));
          st.addBatch();
        }
        st.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Up to {@code limit} stored files of the source not yet verified, after {@code afterPath}. */
  List<Unverified> unverified(String source, String afterPath, int limit) throws SQLException {
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "select path, sop_instance_uid from migration_file where source = ?"
                    + " and verified_at is null and sop_instance_uid is not null and path > ?"
                    + " order by path limit ?")) {
      st.setString(1, source);
      st.setString(2, afterPath);
      st.setInt(3, limit);
      List<Unverified> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(new Unverified(rs.getString(1), rs.getString(2)));
        }
      }
      return rows;
    }
  }

  void markVerified(String source, List<String> paths, Instant now) throws SQLException {
    if (paths.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "update migration_file set verified_at = ? where source = ? and path = any(?)")) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setString(2, source);
      st.setArray(3, c.createArrayOf("varchar", paths.toArray()));
      st.executeUpdate();
    }
  }

  /**
   * Marks verified the source's files stored as {@code sops} (their pack was read back and matched
   * entry by entry); returns how many files.
   */
  int markVerifiedInstances(String source, List<String> sops, Instant now) throws SQLException {
    if (sops.isEmpty()) {
      return 0;
    }
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "update migration_file set verified_at = ? where source = ?"
                    + " and sop_instance_uid = any(?) and verified_at is null")) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setString(2, source);
      st.setArray(3, c.createArrayOf("varchar", sops.toArray()));
      return st.executeUpdate();
    }
  }

  /** Stored files of the source whose Blob copy is not verified yet. */
  long unverifiedCount(String source) throws SQLException {
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "select count(*) from migration_file where source = ? and verified_at is null"
                    + " and sop_instance_uid is not null")) {
      st.setString(1, source);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
