package io.ponte.node.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Opens a stored instance for reading: from the local cache when it is there, else streamed from
 * Blob. Opening does not write: a retrieve records its access once, for everything it addresses,
 * through {@link #recordAccess}, which keeps the study in the cache longer.
 */
@ApplicationScoped
public class InstanceReader {

  private static final Logger LOG = Logger.getLogger(InstanceReader.class);

  @Inject NodeStorage storage;

  @Inject InstanceIndex index;

  Clock clock = Clock.systemUTC();

  /** An open instance: its bytes, size and SHA-256, and whether they come from the cache. */
  public record Opened(InputStream content, long size, String sha256, boolean fromCache) {}

  /** Empty when the node does not hold this SOP Instance UID. */
  public Optional<Opened> open(String sopInstanceUid) throws IOException {
    Optional<InstanceIndex.Row> found;
    try {
      found = index.find(sopInstanceUid);
    } catch (SQLException e) {
      throw new IOException("the index is unavailable", e);
    }
    if (found.isEmpty()) {
      return Optional.empty();
    }
    InstanceIndex.Row row = found.get();
    if (row.cachePath() != null) {
      try {
        return Optional.of(
            new Opened(
                Files.newInputStream(storage.layout().resolve(row.cachePath())),
                row.size(),
                row.sha256(),
                true));
      } catch (NoSuchFileException e) {
        // evicted between the lookup and the open: Blob has it
      }
    }
    return Optional.of(
        new Opened(storage.blobStore().read(row.blobName()), row.size(), row.sha256(), false));
  }

  /**
   * Marks the instances a retrieve addresses (a study, a series of it, or one instance: {@code
   * series} and {@code sop} may be null) as accessed now, in one autocommitted UPDATE before
   * streaming starts, so no transaction stays open while the bytes flow. Rows locked by someone
   * else (the evictor re-checking a study, an upload being confirmed) are skipped rather than
   * waited for: the evictor ranks a study by its most recent instance, so the rest of the request's
   * rows carry the access. Returns the rows updated. Never fails the read: an access time is a hint
   * for eviction.
   */
  public int recordAccess(String study, String series, String sop) {
    Instant now = clock.instant();
    StringBuilder where = new StringBuilder("study_instance_uid = ?");
    if (series != null) {
      where.append(" and series_instance_uid = ?");
    }
    if (sop != null) {
      where.append(" and sop_instance_uid = ?");
    }
    try (Connection c = index.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set last_accessed_at = ?"
                    + " where sop_instance_uid in (select sop_instance_uid from instance where "
                    + where
                    + " for update skip locked)")) {
      int p = 1;
      st.setTimestamp(p++, Timestamp.from(now));
      st.setString(p++, study);
      if (series != null) {
        st.setString(p++, series);
      }
      if (sop != null) {
        st.setString(p, sop);
      }
      return st.executeUpdate();
    } catch (SQLException e) {
      LOG.debugf("access time of study %s not recorded: %s", study, e.getMessage());
      return 0;
    }
  }
}
