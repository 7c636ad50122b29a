package io.ponte.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The name word triggers (db/hub V103, V105) on one pooled connection that has outlived its patient
 * table's growth, against the real PostgreSQL: PL/pgSQL caches a function's plans per connection,
 * and one made while the table was tiny scanned the whole table for every patient written after it
 * (V105 mends that). A table scan under the trigger shows in the transaction's own statistics, at
 * once and whatever the machine's speed.
 */
class PatientNameWordsPlanTest {

  private static final String DATABASE = "ponte_hub_name_words_plan_test";
  private static final int GROWN = 20_000;

  private static Connection connection;

  @BeforeAll
  static void aConnectionThatWroteWhileTheTableWasTinyThenSawItGrow() throws SQLException {
    String url = TestDatabases.url(DATABASE);
    TestDatabases.hubMigrations(url).load().migrate();
    // Statements unprepared on the server, so that only the triggers' own plans are cached here.
    connection = DriverManager.getConnection(url + "?prepareThreshold=0", "postgres", "");
    insert("early", 1, 10);
    try (Statement s = connection.createStatement()) {
      // Analyzed while tiny, and not again while it grows, as between autovacuum's runs on a busy
      // hub (the planner believes a table never analyzed to be larger than it is).
      s.execute("analyze patient");
      s.execute("alter table patient set (autovacuum_enabled = false)");
      s.execute("alter table patient_name_word set (autovacuum_enabled = false)");
    }
    for (int i = 0; i < 10; i++) {
      rename("early-1", "EARLY^" + i);
    }
    insert("grown", 1, GROWN);
  }

  @AfterAll
  static void close() throws SQLException {
    connection.close();
  }

  /**
   * Covers two cached plans: the trigger's own and the foreign-key check of each word row against
   * its patient (PostgreSQL caches that one per connection too). Either one turned to a scan fails
   * this; with V105's {@code plan_cache_mode} alone reset, the check still scanned.
   */
  @Test
  void aNewPatientsWordsAreWrittenWithoutScanningThePatients() throws SQLException {
    connection.setAutoCommit(false);
    try {
      long before = patientScans();
      insert("new", 1, 1);
      assertThat(patientScans()).isEqualTo(before);
      assertThat(words("new-1")).containsExactly("new", "patient");
    } finally {
      connection.rollback();
      connection.setAutoCommit(true);
    }
  }

  @Test
  void aRenamedPatientsWordsAreWrittenWithoutScanningThePatients() throws SQLException {
    connection.setAutoCommit(false);
    try {
      long before = patientScans();
      rename("grown-17", "RENAMED^ONCE");
      assertThat(patientScans()).isEqualTo(before);
      assertThat(words("grown-17")).containsExactly("once", "renamed");
    } finally {
      connection.rollback();
      connection.setAutoCommit(true);
    }
  }

  /** Patients {@code prefix-from} to {@code prefix-to}, named PREFIX^PATIENT, in one statement. */
  private static void insert(String prefix, int from, int to) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "insert into patient (id, site_id, identifier_system, identifier_value, version_id,"
                + " last_updated, name_search) select ? || '-' || n, 'hospital-a', 'urn:test', ?"
                + " || '-' || n, 1, now(), upper(?) || '^PATIENT' from generate_series(?, ?) n")) {
      s.setString(1, prefix);
      s.setString(2, prefix);
      s.setString(3, prefix);
      s.setInt(4, from);
      s.setInt(5, to);
      s.executeUpdate();
    }
  }

  private static void rename(String id, String nameSearch) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("update patient set name_search = ? where id = ?")) {
      s.setString(1, nameSearch);
      s.setString(2, id);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  /** Sequential scans of patient counted in this session and not yet reported. */
  private static long patientScans() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select seq_scan from pg_stat_xact_user_tables where relname = 'patient'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> words(String id) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "select word from patient_name_word where patient_id = ? order by word")) {
      s.setString(1, id);
      List<String> words = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          words.add(rs.getString(1));
        }
      }
      return words;
    }
  }
}
