package io.ponte.hub.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
public class AuditVerifyCommand implements Callable<Integer> {

  @Option(names = "--from", description = "First day (YYYY-MM-DD, UTC) or instant to check.")
  String from;

  @Option(names = "--to", description = "Last day (YYYY-MM-DD, UTC) or instant to check.")
  String to;

  @Override
  public Integer call() {
    Instant start;
    Instant end;
    try {
      start = AuditVerifyResource.instant(from, false);
      end = AuditVerifyResource.instant(to, true);
    } catch (RuntimeException e) {
      System.err.println("ponte audit verify: " + e.getMessage());
      return 2;
    }
    if (start != null && end != null && start.isAfter(end)) {
      System.err.println("ponte audit verify: --from is after --to");
      return 2;
    }
    String url = env("PONTE_HUB_DB_URL", "jdbc:postgresql://127.0.0.1:5432/ponte_hub");
    long began = System.nanoTime();
    try (Connection c =
        DriverManager.getConnection(
            url, env("PONTE_DB_USER", "postgres"), env("PONTE_DB_PASSWORD", ""))) {
      ChainVerifier.Verification v = new ChainVerifier(c).verify(start, end);
      long ms = (System.nanoTime() - began) / 1_000_000;
      if (v.intact()) {
        System.out.printf("audit chain intact: %d records checked in %d ms%n", v.rowsChecked(), ms);
        return 0;
      }
      System.out.printf(
          "audit chain BROKEN at record %d: %s (%d records checked before it)%n",
          v.firstBrokenSeq(), v.problem(), v.rowsChecked());
      return 1;
    } catch (SQLException e) {
      System.err.println("ponte audit verify: cannot read " + url + ": " + e.getMessage());
      return 2;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
