package io.ponte.error;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A database that cannot be reached (the fault suite's PostgreSQL restart: the hub answered 500
 * ponte:internal) is a 503 the caller may retry; a failing query stays a 500.
 */
@DisplayName("requests while the database is down")
class DatabaseOutageTest {

  private static SQLException refused() {
    // PostgreSQL's driver: "Connection to 127.0.0.1:5432 refused" carries SQLState 08001.
    return new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
  }

  @Test
  void aQueryThatFailedBecauseTheDatabaseIsDownIsUnavailableNotInternal() {
    ProblemException e =
        new ProblemException(
            ErrorCode.INTERNAL, "the registry could not be searched", Map.of(), refused());

    assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
    assertThat(e.code().status()).isEqualTo(503);
    assertThat(e.extensions()).containsEntry(Problem.RETRY_AFTER, 5);
    assertThat(e.getMessage()).isEqualTo("the registry could not be searched");
  }

  @Test
  void aQueryThatFailedForAnotherReasonStaysInternal() {
    SQLException duplicate = new SQLException("duplicate key", "23505");
    assertThat(new ProblemException(ErrorCode.INTERNAL, "failed", Map.of(), duplicate).code())
        .isEqualTo(ErrorCode.INTERNAL);
    assertThat(new ProblemException(ErrorCode.CONFLICT, "x", Map.of(), refused()).code())
        .as("only an internal failure is reclassified")
        .isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  void anUnexpectedExceptionCausedByAnOutageIsA503ProblemWithRetryAfter() {
    Response r =
        new ProblemMappers()
            .unexpected(
                new IllegalStateException(
                    "Unable to acquire JDBC Connection",
                    new SQLTransientConnectionException("pool: connection refused")));

    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
    assertThat(((Problem) r.getEntity()).code()).isEqualTo("ponte:storage-unavailable");
  }

  @Test
  void shutdownStatesCountAsOutagesAndOtherFailuresDoNot() {
    assertThat(DatabaseOutage.isCause(new SQLException("terminating", "57P01"))).isTrue();
    assertThat(DatabaseOutage.isCause(new SQLException("starting up", "57P03"))).isTrue();
    assertThat(DatabaseOutage.isCause(new UncheckedIOException(new java.io.IOException())))
        .isFalse();
    assertThat(DatabaseOutage.isCause(new SQLException("syntax", "42601"))).isFalse();
    assertThat(DatabaseOutage.isCause(null)).isFalse();
  }
}
