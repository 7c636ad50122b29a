package io.ponte.hub.consent;

import io.agroal.api.AgroalDataSource;
import io.ponte.role.PonteConfig;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Owns consent_exception_set and consent_exception: a {@link SearchScope}'s exceptions written once
 * as a set named by its content, so a search probes them by index ({@code not exists}) instead of
 * binding the list into each statement. Measured against the bound list (1,500 ids, 19 kB): no
 * per-statement transfer, parse or hash build, and a plan that does not depend on the list; and it
 * scales with the region (6 % of a million patients would be a 2 MB bind per search).
 *
 * <p>A set is written in its own committed transaction before the search that reads it, so a search
 * never sees a set that a rolled-back request would have removed. While in use, a set's {@code
 * used_at} is renewed at most hourly; sets unused for a day are deleted, so a set a replica still
 * holds in memory is never deleted under it (a missing set would show what it should hide).
 */
@ApplicationScoped
class SearchExceptionSets {

  private static final Logger LOG = Logger.getLogger(SearchExceptionSets.class);

  static final Duration RENEW_AFTER = Duration.ofHours(1);
  static final Duration DELETE_UNUSED_AFTER = Duration.ofDays(1);

  @Inject
  @DataSource("hub")
  InjectableInstance<AgroalDataSource> dataSource;

  @Inject PonteConfig ponte;

  /** When this process last wrote or renewed each set. */
  private final Map<String, Instant> renewed = new ConcurrentHashMap<>();

  /** Makes sure the database holds set {@code key} of {@code patientIds} (committed). */
  void ensure(String key, Set<String> patientIds, Instant now) {
    Instant last = renewed.get(key);
    if (last == null || last.plus(RENEW_AFTER).isBefore(now)) {
      QuarkusTransaction.requiringNew().run(() -> write(key, patientIds));
      renewed.put(key, now);
    }
  }

  /** The SHA-256 of the sorted ids, comma-separated (hub Patient ids hold no comma). */
  static String key(Set<String> patientIds) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String id : new TreeSet<>(patientIds)) {
        sha.update(id.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) ',');
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void write(String key, Set<String> patientIds) {
    try (Connection c = dataSource.get().getConnection()) {
      boolean inserted;
      // A concurrent writer of the same set holds the row until it commits; then this one only
      // renews.
      try (PreparedStatement ps =
          c.prepareStatement(
              "insert into consent_exception_set (set_key, members) values (?, ?)"
                  + " on conflict (set_key) do update set used_at = now()"
                  + " returning (xmax = 0)")) {
        ps.setString(1, key);
        ps.setInt(2, patientIds.size());
        try (ResultSet rs = ps.executeQuery()) {
          inserted = rs.next() && rs.getBoolean(1);
        }
      }
      if (inserted) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "insert into consent_exception (set_key, patient_id) select ?, unnest(?)")) {
          ps.setString(1, key);
          ps.setArray(2, c.createArrayOf("varchar", patientIds.toArray()));
          ps.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("consent exception set not written", e);
    }
  }

  @Scheduled(
      identity = "ponte-consent-exception-sets",
      every = "1h",
      delayed = "10m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void deleteUnused() {
    if (!ponte.isHub()) {
      return;
    }
    try (Connection c = dataSource.get().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "delete from consent_exception_set where used_at < now() - ?::interval")) {
      ps.setString(1, DELETE_UNUSED_AFTER.toSeconds() + " seconds");
      int deleted = ps.executeUpdate();
      if (deleted > 0) {
        LOG.debugf("consent: %d unused exception set(s) deleted", deleted);
      }
    } catch (SQLException e) {
      LOG.warnf("consent: unused exception sets not deleted (%s)", e.getMessage());
    }
  }
}
