package io.ponte.hub.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The sets a search probes: named by content, written once, kept while in use, then deleted. */
@QuarkusTest
@TestProfile(ConsentTestProfile.class)
class SearchExceptionSetsTest {

  @Inject SearchExceptionSets sets;

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  @Test
  void aSetIsNamedByItsMembersWhateverTheirOrder() {
    String a = "p-" + UUID.randomUUID();
    String b = "p-" + UUID.randomUUID();
    assertThat(SearchExceptionSets.key(Set.of(a, b)))
        .isEqualTo(SearchExceptionSets.key(new java.util.TreeSet<>(List.of(b, a))))
        .isNotEqualTo(SearchExceptionSets.key(Set.of(a)))
        .hasSize(64);
  }

  @Test
  void aSetIsWrittenOnceWithItsMembersAndCommittedBeforeTheSearch() throws Exception {
    Set<String> ids = Set.of("p-" + UUID.randomUUID(), "p-" + UUID.randomUUID());
    String key = SearchExceptionSets.key(ids);
    sets.ensure(key, ids, Instant.now());
    assertThat(members(key)).containsExactlyInAnyOrderElementsOf(ids);
    // Deleted behind this process's back (as by another replica's clean-up): renewed only after an
    // hour, so within the hour the set is not rewritten...
    execute("delete from consent_exception_set where set_key = '" + key + "'");
    sets.ensure(key, ids, Instant.now());
    assertThat(members(key)).isEmpty();
    // ...and after it, it is.
    sets.ensure(key, ids, Instant.now().plus(SearchExceptionSets.RENEW_AFTER).plusSeconds(1));
    assertThat(members(key)).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void setsUnusedForADayAreDeletedAndOthersKept() throws Exception {
    String old = ensure(Set.of("p-" + UUID.randomUUID()));
    String fresh = ensure(Set.of("p-" + UUID.randomUUID()));
    execute(
        "update consent_exception_set set used_at = now() - interval '25 hours' where set_key = '"
            + old
            + "'");
    sets.deleteUnused();
    assertThat(members(old)).isEmpty();
    assertThat(exists(old)).isFalse();
    assertThat(exists(fresh)).isTrue();
    assertThat(members(fresh)).hasSize(1);
  }

  private String ensure(Set<String> ids) {
    String key = SearchExceptionSets.key(ids);
    sets.ensure(key, ids, Instant.now());
    return key;
  }

  private List<String> members(String key) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select patient_id from consent_exception where set_key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private boolean exists(String key) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select 1 from consent_exception_set where set_key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void execute(String sql) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.executeUpdate();
    }
  }
}
