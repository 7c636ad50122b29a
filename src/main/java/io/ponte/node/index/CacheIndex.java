package io.ponte.node.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cache's footprint as the index records it (cache_path set), for eviction: sizes, studies by
 * last access, and the release of a study whose every instance is safe in Blob.
 */
@ApplicationScoped
public class CacheIndex {

  @Inject IndexDatabase db;

  /** A study's footprint in the cache, for eviction. */
  public record CachedStudy(
      String studyInstanceUid, long bytes, Instant lastAccessed, boolean allUploaded) {}

  public long cachedBytes() throws SQLException {
    try (Connection c = db.connection();
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
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select study_instance_uid, sum(size_bytes) filter (where cache_path is not null),
                       max(coalesce(last_accessed_at, received_at)),
                       bool_and(blob_state = 'UPLOADED')
                from instance group by study_instance_uid
                having count(cache_path) > 0
                order by 3 asc limit ?\
                """)) {
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

  /** A cache path the index forgot: the instance's and the file's (relative) path. */
  public record Released(String sopInstanceUid, String cachePath) {}

  /** What the evictor does with a released file no row references any more. */
  @FunctionalInterface
  public interface Deletion {
    void delete(String relativePath);
  }

  private volatile Runnable onLocked;

  /** Tests only: runs {@code hook} once the study's rows are locked, before they are released. */
  public void onLocked(Runnable hook) {
    this.onLocked = hook;
  }

  /**
   * Drops a study's cache paths if, under lock, every instance of it is UPLOADED; returns what was
   * released (empty when the study is not evictable any more). Exactly the rows locked and seen
   * UPLOADED are released, by their keys: an instance ingested into the study meanwhile (PENDING,
   * not locked, visible to a later statement under READ COMMITTED) keeps its cache path.
   */
  public List<Released> releaseStudyFromCache(String studyInstanceUid) throws SQLException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        List<Released> released = lockedCachePathsIfAllUploaded(c, studyInstanceUid);
        if (released.isEmpty()) {
          c.rollback();
          return List.of();
        }
        Runnable hook = onLocked;
        if (hook != null) {
          hook.run();
        }
        String[] sops = released.stream().map(Released::sopInstanceUid).toArray(String[]::new);
        try (PreparedStatement st =
            c.prepareStatement(
                """
                update instance set cache_path = null
                where sop_instance_uid = any(?) and blob_state = 'UPLOADED'\
                """)) {
          st.setArray(1, c.createArrayOf("varchar", sops));
          st.executeUpdate();
        }
        c.commit();
        return released;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Hands {@code deletion} each released path that no row references any more, under the rows'
   * locks: a path an instance was given back meanwhile (an identical re-send healing an instance
   * whose blob is gone, the verifier re-queueing one) is kept, and one given back after this is
   * given a file of its own (those take the same row lock while they place the file).
   */
  public void deleteUnreferenced(List<Released> released, Deletion deletion) throws SQLException {
    underRowLocks(
        released,
        (r, row) -> {
          if (row == null || !r.cachePath().equals(row.cachePath())) {
            deletion.delete(r.cachePath());
          }
        });
  }

  /** What {@link #deleteStrays} did with the files it was given. */
  public record Strays(int deleted, List<String> withoutRow) {}

  /**
   * Hands {@code deletion} each cache file (not in the index's cache paths: a sweep found it on
   * disk) whose instance's row, under its lock, neither references it nor needs it: the row is
   * UPLOADED, so Blob holds the instance (what an eviction interrupted between its release and its
   * deletion leaves). A file no row knows is kept and counted: it may be the only copy of an
   * instance whose row was lost (a database restored from an older backup), a case for {@code
   * rebuild-index}, not for deletion.
   */
  public Strays deleteStrays(List<Released> files, Deletion deletion) throws SQLException {
    int[] deleted = {0};
    List<String> withoutRow = new ArrayList<>();
    underRowLocks(
        files,
        (f, row) -> {
          if (row == null) {
            withoutRow.add(f.cachePath());
          } else if (!f.cachePath().equals(row.cachePath()) && row.uploaded()) {
            deletion.delete(f.cachePath());
            deleted[0]++;
          }
        });
    return new Strays(deleted[0], withoutRow);
  }

  /** An instance's row as a deletion of a cache file sees it under the row's lock. */
  private record LockedRow(String cachePath, boolean uploaded) {}

  @FunctionalInterface
  private interface UnderLock {
    void decide(Released file, LockedRow row);
  }

  /**
   * Locks the rows of {@code files}' instances in one transaction and hands each file with its row
   * (null when there is none) to {@code decide}, which may delete it while the lock is held: a heal
   * or the verifier gives a path back under the same lock, so it waits for this decision.
   */
  private void underRowLocks(List<Released> files, UnderLock decide) throws SQLException {
    if (files.isEmpty()) {
      return;
    }
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        Map<String, LockedRow> rows = new HashMap<>();
        String[] sops = files.stream().map(Released::sopInstanceUid).toArray(String[]::new);
        try (PreparedStatement st =
            c.prepareStatement(
                """
                select sop_instance_uid, cache_path, blob_state = 'UPLOADED' from instance
                where sop_instance_uid = any(?)
                order by sop_instance_uid for update\
                """)) {
          // No filter on cache_path: under READ COMMITTED a row whose cache_path this snapshot
          // sees as null would be skipped, not waited for, while a heal that holds its lock is
          // placing the file and giving the path back (it commits after this select).
          st.setArray(1, c.createArrayOf("varchar", sops));
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              rows.put(rs.getString(1), new LockedRow(rs.getString(2), rs.getBoolean(3)));
            }
          }
        }
        for (Released f : files) {
          decide.decide(f, rows.get(f.sopInstanceUid()));
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** The study's cached instances, row-locked; empty when any instance is not UPLOADED. */
  private static List<Released> lockedCachePathsIfAllUploaded(Connection c, String studyInstanceUid)
      throws SQLException {
    List<Released> released = new ArrayList<>();
    boolean allUploaded = true;
    try (PreparedStatement st =
        c.prepareStatement(
            """
            select sop_instance_uid, cache_path, blob_state from instance
            where study_instance_uid = ?
            for update\
            """)) {
      st.setString(1, studyInstanceUid);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          allUploaded &= InstanceIndex.UPLOADED.equals(rs.getString(3));
          if (rs.getString(2) != null) {
            released.add(new Released(rs.getString(1), rs.getString(2)));
          }
        }
      }
    }
    return allUploaded ? released : List.of();
  }
}
