package io.ponte.hub.audit;

import static io.ponte.testing.HubFhir.published;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.hub.fhir.FhirValidation;
import io.ponte.testing.AuditRows;
import io.ponte.testing.FhirStudies;
import io.ponte.testing.HubTestProfile;
import io.ponte.testing.TestDatabases;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Retention: {@code ponte audit purge} removes the start of the chain and leaves an anchor, so the
 * chain still verifies, appends go on from it, and tampering with what is kept is still named. A
 * date inside the retention, or a broken chain, purges nothing; the application's role may not
 * write anchors.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class AuditPurgeTest {

  static final String URL = TestDatabases.url("ponte_hub_test");

  @Inject FhirValidation validation;

  @BeforeEach
  void warm() {
    // The first publish would otherwise wait for the validator's warm-up past the client's timeout.
    validation.warm();
  }

  @Test
  void purgeThenVerifyPassesAppendsGoOnAndTamperingIsStillNamed() throws Exception {
    for (int i = 0; i < 3; i++) {
      published("ponte-node-hospital-a", FhirStudies.study("hospital-a", FhirStudies.mrn()));
    }
    long last = AuditRows.maxSeq();
    Thread.sleep(5); // recorded_at has microseconds: the cut falls after every row so far
    Instant cut = Instant.now();

    assertThat(run(new AuditPurgeCommand(), "--db-url", URL, "--before", cut.toString()))
        .as("a date inside the default 10-year retention")
        .startsWith("2");
    assertThat(AuditRows.maxSeq()).isEqualTo(last);

    String purged =
        run(
            new AuditPurgeCommand(),
            "--db-url",
            URL,
            "--before",
            cut.toString(),
            "--retention",
            "P0D");
    assertThat(purged).startsWith("0 purged").contains("through " + last);
    assertThat(count("select count(*) from audit_record where seq <= " + last)).isZero();
    assertThat(count("select count(*) from audit_anchor where through_seq = " + last)).isOne();
    assertThat(run(new AuditVerifyCommand(), "--db-url", URL)).startsWith("0 audit chain intact");

    // The writer goes on from the anchor though no row is left.
    published("ponte-node-hospital-a", FhirStudies.study("hospital-a", FhirStudies.mrn()));
    published("ponte-node-hospital-a", FhirStudies.study("hospital-a", FhirStudies.mrn()));
    assertThat(count("select min(seq) from audit_record")).isEqualTo(last + 1);
    assertThat(run(new AuditVerifyCommand(), "--db-url", URL)).startsWith("0 audit chain intact");

    var deleted = AuditTamperTest.tampered("delete from audit_record where seq = " + (last + 1));
    assertThat(deleted.intact()).isFalse();
    assertThat(deleted.firstBrokenSeq()).isEqualTo(last + 1);
    var changed =
        AuditTamperTest.tampered("update audit_record set detail = 'x' where seq = " + (last + 1));
    assertThat(changed.intact()).isFalse();
    assertThat(changed.firstBrokenSeq()).isEqualTo(last + 1);
    var anchorMoved =
        AuditTamperTest.tampered("update audit_anchor set through_seq = through_seq + 1");
    assertThat(anchorMoved.intact()).isFalse();
  }

  @Test
  void aBrokenChainIsNeverPurgedAndTheAppRoleWritesNoAnchor() throws Exception {
    published("ponte-node-hospital-a", FhirStudies.study("hospital-a", FhirStudies.mrn()));
    long last = AuditRows.maxSeq();
    try (Connection c = AuditTamperTest.owner();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("alter table audit_record disable trigger audit_record_no_update");
      s.executeUpdate("update audit_record set detail = 'forged' where seq = " + last);
      s.execute("alter table audit_record enable trigger audit_record_no_update");
      assertThatThrownBy(() -> new AuditPurge(c).purgeBefore(Instant.now()))
          .isInstanceOf(AuditPurge.BrokenChain.class)
          .hasMessageContaining("record " + last);
    }
    assertThat(AuditRows.maxSeq()).isEqualTo(last);
    try (Connection c = DriverManager.getConnection(URL, TestDatabases.APP_ROLE, "");
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () ->
                  s.executeUpdate(
                      "insert into audit_anchor values (1, 'x', now(), 0, now(), 'me')"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.executeUpdate("delete from audit_anchor"))
          .hasMessageContaining("permission denied");
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = AuditTamperTest.owner();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String run(Object command, String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int exit = cli.execute(args);
    return exit + " " + out;
  }
}
