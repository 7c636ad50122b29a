package io.ponte.error;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;

/**
 * Tells a database that cannot be reached (down, restarting, the connection cut) from a fault of
 * the request or the code: the first is a 503 the caller may retry, not a 500. SQLState class 08 is
 * "connection exception"; 57P01–57P03 are PostgreSQL's administrator shutdown, crash shutdown and
 * "cannot connect now" (starting up).
 */
public final class DatabaseOutage {

  /** What a caller is told: retry after a few seconds (a restart takes about that long). */
  public static final int RETRY_AFTER_SECONDS = 5;

  private DatabaseOutage() {}

  /** Whether {@code e} or one of its causes says the database cannot be reached. */
  public static boolean isCause(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && isOutageState(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  static boolean isOutageState(String state) {
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03"));
  }

  /** The problem+json a request gets while the database is unreachable. */
  public static Problem problem() {
    return Problem.of(
        ErrorCode.STORAGE_UNAVAILABLE,
        "the database is unavailable; retry in a few seconds",
        Map.of(Problem.RETRY_AFTER, RETRY_AFTER_SECONDS));
  }
}
