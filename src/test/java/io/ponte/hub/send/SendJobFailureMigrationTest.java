package io.ponte.hub.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * db/hub V102 on a send_job of the version before it, against the real PostgreSQL: each send that
 * failed before the kind had a column gets the kind its recorded reason told the pages (the reasons
 * SendJobs, SendService, StowUpload and StowTokens recorded), anything else that failed OTHER, and
 * a send that did not fail none.
 */
class SendJobFailureMigrationTest {

  private static final String DATABASE = "ponte_hub_send_failure_migration_test";

  @Test
  void eachFailedSendGetsTheKindItsRecordedReasonTold() throws Exception {
    Map<String, SendFailure> recorded = new LinkedHashMap<>();
    recorded.put("interrupted by a restart of the hub; send it again", SendFailure.INTERRUPTED);
    recorded.put("the audit trail is unavailable: nothing was sent", SendFailure.AUDIT_UNAVAILABLE);
    recorded.put(
        "the PACS CLINIC_NORTE at 10.0.0.5:104 did not accept an association: Connection refused",
        SendFailure.PACS_UNREACHABLE);
    // An AE title may hold spaces (PS3.5 AE VR).
    recorded.put(
        "the PACS CLINIC NORTE at 10.0.0.5:104 did not accept an association: Connection refused",
        SendFailure.PACS_UNREACHABLE);
    recorded.put(
        "the connection to the PACS CLINIC_NORTE broke off: Broken pipe",
        SendFailure.CONNECTION_LOST);
    recorded.put(
        "the connection to the PACS CLINIC NORTE broke off: Broken pipe",
        SendFailure.CONNECTION_LOST);
    recorded.put(
        "2 of 5 instances were not stored (not fetched from the site, or refused by the PACS)",
        SendFailure.NOT_ALL_STORED);
    recorded.put(
        "the STOW-RS endpoint https://pacs.example/studies answered 202: 2 refused",
        SendFailure.NOT_ALL_STORED);
    recorded.put(
        "the STOW-RS endpoint https://pacs.example/studies answered 409: 5 refused",
        SendFailure.NOT_ALL_STORED);
    recorded.put(
        "the STOW-RS endpoint https://pacs.example/studies answered 500",
        SendFailure.PACS_UNREACHABLE);
    recorded.put(
        "the STOW-RS endpoint https://pacs.example/studies answered 401 before the end",
        SendFailure.PACS_UNREACHABLE);
    recorded.put(
        "the STOW-RS endpoint https://pacs.example/studies could not be reached: timed out",
        SendFailure.PACS_UNREACHABLE);
    recorded.put(
        "the token endpoint https://idp.example/token refused the client credentials (HTTP 401)",
        SendFailure.PACS_UNREACHABLE);
    recorded.put("the hub failed while sending (NullPointerException)", SendFailure.OTHER);
    recorded.put("interrupted", SendFailure.OTHER);

    String url = TestDatabases.url(DATABASE);
    TestDatabases.hubMigrations(url).target("101").load().migrate();
    Map<String, SendFailure> expected = new LinkedHashMap<>();
    try (Connection c = TestDatabases.asOwner(DATABASE)) {
      for (Map.Entry<String, SendFailure> r : recorded.entrySet()) {
        expected.put(job(c, "failed", r.getKey()), r.getValue());
      }
      expected.put(job(c, "completed", null), null);
      expected.put(job(c, "running", null), null);
    }

    assertThat(TestDatabases.hubMigrations(url).load().migrate().migrationsExecuted).isPositive();

    try (Connection c = TestDatabases.asOwner(DATABASE)) {
      for (Map.Entry<String, SendFailure> e : expected.entrySet()) {
        assertThat(failure(c, e.getKey())).as(reason(c, e.getKey())).isEqualTo(e.getValue());
      }
      // The column takes the kinds only.
      try (Statement st = c.createStatement()) {
        assertThatThrownBy(
                () ->
                    st.execute(
                        "update send_job set failure = 'UNHEARD_OF' where id = '"
                            + expected.keySet().iterator().next()
                            + "'"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("check constraint");
      }
    }
  }

  private static String job(Connection c, String state, String reason) throws SQLException {
    String id = UUID.randomUUID().toString();
    try (PreparedStatement st =
        c.prepareStatement(
            "insert into send_job (id, organization, subject, study_uid, destination, state, total,"
                + " reason, created_at) values (?, 'clinic-norte', 's', '1.2.3', 'PACS@h:104', ?,"
                + " 5, ?, now())")) {
      st.setString(1, id);
      st.setString(2, state);
      st.setString(3, reason);
      st.executeUpdate();
    }
    return id;
  }

  private static SendFailure failure(Connection c, String id) throws SQLException {
    String kind = column(c, "failure", id);
    return kind == null ? null : SendFailure.valueOf(kind);
  }

  private static String reason(Connection c, String id) throws SQLException {
    return column(c, "reason", id);
  }

  private static String column(Connection c, String column, String id) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("select " + column + " from send_job where id = ?")) {
      st.setString(1, id);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }
}
