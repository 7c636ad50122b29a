package io.ponte.node.index;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * This process's run, as its claims on the durable queues name it (db/node V120): a random id on
 * which one dedicated connection holds a session advisory lock for the process's lifetime. A kill
 * -9 ends the session, and PostgreSQL the lock with it, so {@link DeadClaims} tells a dead run's
 * claims from a live one's (the node itself, a second node process, a concurrent {@code ponte
 * migrate}) by the lock alone, never by time. Taken on the first claim (a hub never claims).
 */
@ApplicationScoped
public class ClaimOwner {

  private static final Logger LOG = Logger.getLogger(ClaimOwner.class);

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * How long the lock's connection counts as alive after it was last seen to be: every queue asks
   * for the id before every claim batch, which should not cost a round trip of its own each time. A
   * session lost in between is noticed (and its lock re-taken) at most this much later.
   */
  static final Duration REVALIDATE_AFTER = Duration.ofSeconds(1);

  @Inject IndexDatabase db;

  /** System.nanoTime, but settable by tests. */
  LongSupplier nanoTime = System::nanoTime;

  private Connection connection;
  private long id;
  private long validatedAt;

  /** The run id this process's claims carry; its lock is (re)taken when not held. */
  public synchronized long id() throws SQLException {
    if (connection != null) {
      long now = nanoTime.getAsLong();
      if (now - validatedAt < REVALIDATE_AFTER.toNanos()) {
        return id;
      }
      if (connection.isValid(5)) {
        validatedAt = now;
        return id;
      }
    }
    close();
    if (id == 0) {
      id = newId();
    }
    Connection c = db.connection();
    try {
      // The same id again after a lost connection (a PostgreSQL restart): rows claimed under it
      // stay this run's. Another live holder of a random 63-bit id is not expected; if one is
      // found, a new id is drawn.
      while (!tryLock(c, id)) {
        id = newId();
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    connection = c;
    validatedAt = nanoTime.getAsLong();
    LOG.debugf("claims of this process carry run id %d", id);
    return id;
  }

  private static long newId() {
    long next;
    do {
      // Positive and never the packers' lock key: the id is also an advisory lock key.
      next = RANDOM.nextLong() & Long.MAX_VALUE;
    } while (next == 0 || next == PackIndex.LOCK_KEY);
    return next;
  }

  private static boolean tryLock(Connection c, long key) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("select pg_try_advisory_lock(?)")) {
      st.setLong(1, key);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** Ends the run: its lock goes with the session, so whatever it still claims is released. */
  @PreDestroy
  synchronized void close() {
    if (connection == null) {
      return;
    }
    // A pooled connection outlives close(): its session would keep the lock.
    try (Connection c = connection;
        PreparedStatement st = c.prepareStatement("select pg_advisory_unlock(?)")) {
      st.setLong(1, id);
      st.execute();
    } catch (SQLException e) {
      LOG.debugf("releasing the run's lock: %s", e.getMessage());
    }
    connection = null;
  }
}
