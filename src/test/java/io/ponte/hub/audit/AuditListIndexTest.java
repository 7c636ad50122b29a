package io.ponte.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.ponte.testing.HubTestProfile;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Audit searches by patient or study ({@link AuditEventQuery#listContains}) match one whole item of
 * a comma-joined column, and ask it in the expression of that column's index (db/hub V100): a
 * search that could not use the index would read every audit row there is for each patient's page.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class AuditListIndexTest {

  @Inject
  @DataSource("hub")
  AgroalDataSource ds;

  @ParameterizedTest
  @ValueSource(strings = {"patient_ids", "regional_ids", "study_uids"})
  void eachListSearchCanReadItsIndex(String column) throws SQLException {
    String plan =
        plan("select seq from audit_record where " + AuditEventQuery.listContains(column), "P-123");
    assertThat(plan).contains("audit_record_" + column + "_idx").doesNotContain("Seq Scan");
  }

  @Test
  void thePatientsLogAsksBothListsThroughTheirIndexes() throws SQLException {
    String plan =
        plan(
            "select seq from audit_record where ("
                + AuditEventQuery.listContains("regional_ids")
                + " or "
                + AuditEventQuery.listContains("patient_ids")
                + ") and source_site is null",
            "REG-1",
            "P-1");
    assertThat(plan)
        .contains("audit_record_regional_ids_idx")
        .contains("audit_record_patient_ids_idx")
        .doesNotContain("Seq Scan");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      nullValues = "NULL",
      value = {
        "a,b,c;b;true",
        "a,b,c;a;true",
        "a,b,c;c;true",
        "b;b;true",
        "a,bb,c;b;false",
        "a,b,c;a,b;false",
        "'';b;false",
        "NULL;b;false",
        "ab;a;false"
      })
  void matchesOneWholeItemOnly(String list, String value, boolean expected) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "select coalesce(("
                    + AuditEventQuery.listContains("l")
                    + "), false) from (select cast(? as text) as l) t")) {
      st.setString(1, value); // the item asked comes first in the statement
      st.setString(2, list);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        assertThat(rs.getBoolean(1)).as("%s in [%s]", value, list).isEqualTo(expected);
      }
    }
  }

  /** The plan of {@code sql}, with sequential scans made as costly as the planner allows. */
  private String plan(String sql, String... args) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("set local enable_seqscan = off");
      }
      StringBuilder plan = new StringBuilder();
      try (PreparedStatement st = c.prepareStatement("explain " + sql)) {
        for (int i = 0; i < args.length; i++) {
          st.setString(i + 1, args[i]);
        }
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      } finally {
        c.rollback();
      }
      return plan.toString();
    }
  }
}
