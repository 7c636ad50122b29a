package io.ponte.node.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        List<String> paths = lockedCachePathsIfAllUploaded(c, studyInstanceUid);
        if (paths.isEmpty()) {
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

  /** The study's cache paths, row-locked; empty when any instance is not UPLOADED. */
  private static List<String> lockedCachePathsIfAllUploaded(Connection c, String studyInstanceUid)
      throws SQLException {
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
          allUploaded &= InstanceIndex.UPLOADED.equals(rs.getString(2));
          if (rs.getString(1) != null) {
            paths.add(rs.getString(1));
          }
        }
      }
    }
    return allUploaded ? paths : List.of();
  }
}
