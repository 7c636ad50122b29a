package io.ponte.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Another process's run on the same node database (a second node, a {@code ponte migrate}), as
 * {@code io.ponte.node.index.ClaimOwner} makes one: a session holding an advisory lock on a random
 * run id. Closing it ends the session as a kill -9 would, and waits until the server has let go of
 * the lock (its backend does so a moment after the client closed the connection).
 */
public final class OtherRun implements AutoCloseable {

  private final String url;
  private final long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  private final Connection session;

  /** A live run on the database at {@code url}. */
  public OtherRun(String url) throws SQLException {
    this.url = url;
    this.session = DriverManager.getConnection(url, "postgres", "");
    try (PreparedStatement st = session.prepareStatement("select pg_advisory_lock(?)")) {
      st.setLong(1, id);
      st.execute();
    } catch (SQLException e) {
      session.close();
      throw e;
    }
  }

  public long id() {
    return id;
  }

  /** The run dies: its session ends, and its lock is gone from {@code pg_locks} on return. */
  @Override
  public void close() throws SQLException, InterruptedException {
    session.close();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (held()) {
      assertThat(System.nanoTime()).as("the closed session's lock gone").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private boolean held() throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        PreparedStatement st =
            c.prepareStatement(
                "select count(*) from pg_locks where locktype = 'advisory' and objsubid = 1"
                    + " and ((classid::bigint << 32) | objid::bigint) = ?")) {
      st.setLong(1, id);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }
}
