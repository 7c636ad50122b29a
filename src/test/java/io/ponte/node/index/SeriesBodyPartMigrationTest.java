package io.ponte.node.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * db/node V150 on a node index of the version before it, against the real PostgreSQL: each series
 * gets the least non-empty Body Part Examined of its instances' DICOM JSON (as ingest keeps it), a
 * series whose instances name none stays null.
 */
class SeriesBodyPartMigrationTest {

  private static final String DATABASE = "ponte_node_body_part_migration_test";

  @Test
  void existingSeriesAreFilledFromTheirInstancesMetadata() throws Exception {
    String url = TestDatabases.url(DATABASE);
    flyway(url).target("140").load().migrate();
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement st = c.createStatement()) {
      st.execute(
          "insert into study (study_instance_uid, created_at, last_received_at)"
              + " values ('1.2', now(), now())");
      st.execute(
          "insert into series (series_instance_uid, study_instance_uid, created_at) values"
              + " ('1.2.1', '1.2', now()), ('1.2.2', '1.2', now()), ('1.2.3', '1.2', now())");
      // 1.2.1 disagrees (KNEE, then CHEST padded, then empty): CHEST; 1.2.2 names one; 1.2.3 none.
      instance(st, "1.2.1.1", "1.2.1", "{\"00180015\":{\"vr\":\"CS\",\"Value\":[\"KNEE\"]}}");
      instance(st, "1.2.1.2", "1.2.1", "{\"00180015\":{\"vr\":\"CS\",\"Value\":[\" CHEST \"]}}");
      instance(st, "1.2.1.3", "1.2.1", "{\"00180015\":{\"vr\":\"CS\",\"Value\":[\"\"]}}");
      instance(st, "1.2.2.1", "1.2.2", "{\"00180015\":{\"vr\":\"CS\",\"Value\":[\"HEAD\"]}}");
      instance(st, "1.2.2.2", "1.2.2", "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]}}");
      instance(st, "1.2.3.1", "1.2.3", "{\"00180015\":{\"vr\":\"CS\"}}");
    }

    assertThat(flyway(url).load().migrate().migrationsExecuted).isPositive();

    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      assertThat(bodyPart(c, "1.2.1")).isEqualTo("CHEST");
      assertThat(bodyPart(c, "1.2.2")).isEqualTo("HEAD");
      assertThat(bodyPart(c, "1.2.3")).isNull();
    }
  }

  private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url) {
    return Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/node");
  }

  private static void instance(Statement st, String sop, String series, String metadata)
      throws Exception {
    st.execute(
        "insert into instance (sop_instance_uid, series_instance_uid, study_instance_uid,"
            + " sop_class_uid, transfer_syntax_uid, size_bytes, sha256, blob_name, metadata,"
            + " source_protocol, received_at) values ('"
            + sop
            + "', '"
            + series
            + "', '1.2', '1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.1.2.1', 1, '"
            + "0".repeat(64)
            + "', 'b/"
            + sop
            + "', '"
            + metadata
            + "'::jsonb, 'STOW_RS', now())");
  }

  private static String bodyPart(Connection c, String series) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement("select body_part_examined from series where series_instance_uid = ?")) {
      st.setString(1, series);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }
}
