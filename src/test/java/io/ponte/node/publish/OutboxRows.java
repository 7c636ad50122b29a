package io.ponte.node.publish;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/** Reads the outbox as the tests see it. */
final class OutboxRows {

  record Row(
      String payload,
      String sha256,
      Timestamp builtFor,
      long generation,
      int attempts,
      Timestamp nextAttemptAt,
      Timestamp sentAt,
      Integer lastStatus,
      String lastError) {

    /** Everything but the payload, which would bury the rest of a failure message. */
    @Override
    public String toString() {
      return "Row[payload="
          + (payload == null ? "none" : payload.length() + " chars")
          + ", sha256="
          + sha256
          + ", builtFor="
          + builtFor
          + ", generation="
          + generation
          + ", attempts="
          + attempts
          + ", nextAttemptAt="
          + nextAttemptAt
          + ", sentAt="
          + sentAt
          + ", lastStatus="
          + lastStatus
          + ", lastError="
          + lastError
          + "]";
    }
  }

  private OutboxRows() {}

  static Optional<Row> find(AgroalDataSource ds, String studyUid) {
    try (Connection c = ds.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select payload, content_sha256, built_for_received_at, generation, attempts, next_attempt_at, sent_at,
                       last_status, last_error
                from publication_outbox where study_instance_uid = ?""")) {
      st.setString(1, studyUid);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        int status = rs.getInt(8);
        Integer lastStatus = rs.wasNull() ? null : status;
        return Optional.of(
            new Row(
                rs.getString(1),
                rs.getString(2),
                rs.getTimestamp(3),
                rs.getLong(4),
                rs.getInt(5),
                rs.getTimestamp(6),
                rs.getTimestamp(7),
                lastStatus,
                rs.getString(9)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
