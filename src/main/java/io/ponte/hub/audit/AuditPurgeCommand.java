package io.ponte.hub.audit;

import io.ponte.cli.ContributedCommand;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ponte audit purge --before DATE}: removes the audit records older than the retention, as
 * {@link AuditPurge} does, run by an operator with the database owner's role (the application's
 * role cannot delete audit rows). Refuses a date inside the retention ({@code --retention}, default
 * {@code $PONTE_HUB_AUDIT_RETENTION} or P10Y, the hub's {@code ponte.hub.audit.retention}). Exit 0
 * (printing the new anchor, to be kept outside the database), 1 when the chain is broken (nothing
 * removed), 2 on bad arguments or an unreadable database.
 */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description =
        "Remove audit records recorded before DATE (older than the retention), keeping the chain"
            + " verifiable from a new anchor. Run with the database owner's role.")
public class AuditPurgeCommand implements Callable<Integer>, ContributedCommand {

  @Override
  public String parent() {
    return "audit";
  }

  @Option(
      names = "--before",
      required = true,
      description = "Remove records recorded before this day (YYYY-MM-DD, UTC) or instant.")
  String before;

  @Option(
      names = "--retention",
      description =
          "Retention period (ISO 8601, e.g. P10Y); DATE must be at least this long ago (default:"
              + " $PONTE_HUB_AUDIT_RETENTION or P10Y).")
  String retention;

  @Option(
      names = "--db-url",
      description = "JDBC URL of the hub database (default: $PONTE_HUB_DB_URL).")
  String dbUrl;

  @Option(
      names = "--db-user",
      description = "Database owner role (default: $PONTE_DB_USER); not the application's role.")
  String dbUser;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant cut;
    Period keep;
    try {
      cut = AuditVerifyResource.instant(before, false);
      keep = Period.parse(retention != null ? retention : env("PONTE_HUB_AUDIT_RETENTION", "P10Y"));
    } catch (RuntimeException e) {
      err.println("ponte audit purge: " + e.getMessage());
      return 2;
    }
    if (keep.isNegative()) {
      err.println("ponte audit purge: the retention is negative");
      return 2;
    }
    Instant oldestAllowed = Instant.now().atOffset(ZoneOffset.UTC).minus(keep).toInstant();
    if (cut.isAfter(oldestAllowed)) {
      err.printf(
          "ponte audit purge: %s is within the retention of %s; records are kept until %s%n",
          cut, keep, oldestAllowed);
      return 2;
    }
    String url =
        dbUrl != null
            ? dbUrl
            : env("PONTE_HUB_DB_URL", "jdbc:postgresql://127.0.0.1:5432/ponte_hub");
    String user = dbUser != null ? dbUser : env("PONTE_DB_USER", "postgres");
    try (Connection c = DriverManager.getConnection(url, user, env("PONTE_DB_PASSWORD", ""))) {
      AuditPurge.Result r = new AuditPurge(c).purgeBefore(cut);
      if (r.anchorHash() == null) {
        out.printf("nothing to purge: no audit record before %s%n", cut);
      } else {
        out.printf(
            "purged %d audit records (through %d); new anchor %d %s: keep it with your records%n",
            r.purgedRows(), r.throughSeq(), r.throughSeq(), r.anchorHash());
      }
      out.flush();
      return 0;
    } catch (AuditPurge.BrokenChain e) {
      out.println(e.getMessage() + "; nothing was purged");
      out.flush();
      return 1;
    } catch (SQLException e) {
      err.println("ponte audit purge: cannot purge " + url + ": " + e.getMessage());
      return 2;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
