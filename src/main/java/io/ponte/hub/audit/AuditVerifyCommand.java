package io.ponte.hub.audit;

import io.ponte.cli.ContributedCommand;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ponte audit verify [--from DATE] [--to DATE]}: walks the hub's audit chain straight from
 * PostgreSQL, without starting the application. Exit 0 when intact; 1 naming the first broken
 * record; 2 when the database cannot be read. Connects with the same variables as the hub ({@code
 * PONTE_HUB_DB_URL}, {@code PONTE_DB_USER}, {@code PONTE_DB_PASSWORD}); a read-only role is enough.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Verify the hub's audit hash chain; exit 1 naming the first broken record.")
public class AuditVerifyCommand implements Callable<Integer>, ContributedCommand {

  @Override
  public String parent() {
    return "audit";
  }

  @Option(names = "--from", description = "First day (YYYY-MM-DD, UTC) or instant to check.")
  String from;

  @Option(names = "--to", description = "Last day (YYYY-MM-DD, UTC) or instant to check.")
  String to;

  @Option(
      names = "--db-url",
      description = "JDBC URL of the hub database (default: $PONTE_HUB_DB_URL).")
  String dbUrl;

  @Option(names = "--db-user", description = "Database user (default: $PONTE_DB_USER).")
  String dbUser;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant start;
    Instant end;
    try {
      start = AuditVerifyResource.instant(from, false);
      end = AuditVerifyResource.instant(to, true);
    } catch (RuntimeException e) {
      err.println("ponte audit verify: " + e.getMessage());
      return 2;
    }
    if (start != null && end != null && start.isAfter(end)) {
      err.println("ponte audit verify: --from is after --to");
      return 2;
    }
    String url =
        dbUrl != null
            ? dbUrl
            : env("PONTE_HUB_DB_URL", "jdbc:postgresql://127.0.0.1:5432/ponte_hub");
    String user = dbUser != null ? dbUser : env("PONTE_DB_USER", "postgres");
    long began = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url, user, env("PONTE_DB_PASSWORD", ""))) {
      ChainVerifier.Verification v = new ChainVerifier(c).verify(start, end);
      long ms = (System.nanoTime() - began) / 1_000_000;
      if (v.intact()) {
        out.printf("audit chain intact: %d records checked in %d ms%n", v.rowsChecked(), ms);
        out.flush();
        return 0;
      }
      out.printf(
          "audit chain BROKEN at record %d: %s (%d records checked before it)%n",
          v.firstBrokenSeq(), v.problem(), v.rowsChecked());
      out.flush();
      return 1;
    } catch (SQLException e) {
      err.println("ponte audit verify: cannot read " + url + ": " + e.getMessage());
      return 2;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
