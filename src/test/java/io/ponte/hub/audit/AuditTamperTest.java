package io.ponte.hub.audit;

import static io.ponte.testing.HubFhir.published;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.hub.fhir.FhirValidation;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.TestDatabases;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Someone with the owner's rights goes around the append-only trigger and changes, deletes or
 * reorders rows: the chain walk names the first broken record. Each tamper runs in a transaction
 * that is rolled back, walked on the same connection; the command line is run against a committed
 * change (restored afterwards).
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class AuditTamperTest {

  @Inject FhirValidation validation;

  long first;
  long last;

  @BeforeEach
  void threeFreshRows() throws SQLException {
    validation.warm();
    for (int i = 0; i < 3; i++) {
      published("ponte-node-hospital-a", FhirStudies.study("hospital-a", FhirStudies.mrn()));
    }
    try (Connection c = owner();
        Statement s = c.createStatement();
        var rs = s.executeQuery("select max(seq) from audit_record")) {
      rs.next();
      last = rs.getLong(1);
      first = last - 2;
    }
  }

  static Connection owner() throws SQLException {
    return TestDatabases.asOwner("ponte_hub_test");
  }

  /** Runs {@code tamper} as the owner with the trigger off, walks, and rolls everything back. */
  static ChainVerifier.Verification tampered(String... tamper) throws SQLException {
    try (Connection c = owner()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("alter table audit_record disable trigger audit_record_no_update");
        for (String sql : tamper) {
          s.execute(sql);
        }
        return new ChainVerifier(c).verify(null, null);
      } finally {
        c.rollback();
      }
    }
  }

  @Test
  void aChangedRowIsNamed() throws SQLException {
    var v = tampered("update audit_record set purpose = 'audit' where seq = " + (first + 1));
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(first + 1);
    assertThat(v.problem()).contains("altered");
  }

  @Test
  void aChangedActorNameIsNamed() throws SQLException {
    // version 4 rows (V99) hash the name the actor had: giving a record another person's is caught
    var v = tampered("update audit_record set actor_name = 'Someone Else' where seq = " + first);
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(first);
    assertThat(v.problem()).contains("altered");
  }

  @Test
  void aDeletedRowIsNamed() throws SQLException {
    var v = tampered("delete from audit_record where seq = " + (first + 1));
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(first + 1);
    assertThat(v.problem()).contains("missing");
  }

  @Test
  void reorderedRowsAreNamed() throws SQLException {
    long a = first;
    long b = first + 1;
    var v =
        tampered(
            "update audit_record set seq = -1 where seq = " + a,
            "update audit_record set seq = " + a + " where seq = " + b,
            "update audit_record set seq = " + b + " where seq = -1");
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBrokenSeq()).isEqualTo(a);
  }

  @Test
  void theCommandLineExitsOneNamingTheRecordAndZeroWhenIntact() throws SQLException {
    String url = TestDatabases.url("ponte_hub_test");
    assertThat(run("--db-url", url)).startsWith("0 audit chain intact");
    String original;
    try (Connection c = owner();
        Statement s = c.createStatement()) {
      try (var rs = s.executeQuery("select detail from audit_record where seq = " + last)) {
        rs.next();
        original = rs.getString(1);
      }
      s.execute("alter table audit_record disable trigger audit_record_no_update");
      try {
        s.executeUpdate("update audit_record set detail = 'nothing' where seq = " + last);
        assertThat(run("--db-url", url)).startsWith("1 audit chain BROKEN at record " + last + ":");
        assertThat(run("--db-url", url, "--from", "2000-01-01", "--to", "2000-01-02"))
            .startsWith("0 audit chain intact: 0 records");
      } finally {
        try (var restore =
            c.prepareStatement("update audit_record set detail = ? where seq = " + last)) {
          restore.setString(1, original);
          restore.executeUpdate();
        }
        s.execute("alter table audit_record enable trigger audit_record_no_update");
      }
    }
    assertThat(run("--db-url", url, "--from", "2000-01-01")).startsWith("0 audit chain intact");
    // As the executable parses it: `ponte audit verify`.
    io.ponte.testing.PonteCli.Result cli =
        io.ponte.testing.PonteCli.run("audit", "verify", "--db-url", url);
    assertThat(cli.exit()).as(cli.stderr()).isZero();
    assertThat(run("--db-url", url, "--from", "2030-01-02", "--to", "2030-01-01")).startsWith("2");
  }

  /** Exit code, a space, then what the command printed. */
  static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new AuditVerifyCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int exit = cli.execute(args);
    return exit + " " + out;
  }
}
