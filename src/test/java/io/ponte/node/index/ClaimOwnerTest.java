package io.ponte.node.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The run's lock on the real PostgreSQL, with the revalidation interval on a test clock. */
class ClaimOwnerTest {

  private static final String DATABASE = "ponte_claim_owner";

  private final AtomicLong clock = new AtomicLong();
  private final AtomicInteger opened = new AtomicInteger();
  private ClaimOwner owner;

  @BeforeEach
  void owner() {
    String url = TestDatabases.url(DATABASE);
    owner = new ClaimOwner();
    owner.db =
        new IndexDatabase() {
          @Override
          Connection connection() throws SQLException {
            opened.incrementAndGet();
            return DriverManager.getConnection(url, "postgres", "");
          }
        };
    owner.nanoTime = clock::get;
  }

  @AfterEach
  void close() {
    owner.close();
  }

  @Test
  void withinTheIntervalTheCachedIdCostsNoRoundTrip() throws Exception {
    long id = owner.id();
    int holder = holderOf(id);

    clock.addAndGet(ClaimOwner.REVALIDATE_AFTER.toNanos() / 2);
    assertThat(owner.id()).isEqualTo(id);
    // Terminated now, but not asked about within the interval: the cached id, no connection.
    terminate(holder);
    assertThat(owner.id()).isEqualTo(id);
    assertThat(opened).hasValue(1);
  }

  @Test
  void afterTheIntervalALiveLockConnectionIsKept() throws Exception {
    long id = owner.id();
    int holder = holderOf(id);

    clock.addAndGet(ClaimOwner.REVALIDATE_AFTER.toNanos());

    assertThat(owner.id()).isEqualTo(id);
    assertThat(opened).as("validated, not replaced").hasValue(1);
    assertThat(holderOf(id)).isEqualTo(holder);
  }

  @Test
  void aLostSessionIsNoticedAfterTheIntervalAndTheLockRetakenOnTheSameId() throws Exception {
    long id = owner.id();
    int holder = holderOf(id);
    terminate(holder);

    clock.addAndGet(ClaimOwner.REVALIDATE_AFTER.toNanos());

    assertThat(owner.id()).as("rows claimed under the id stay this run's").isEqualTo(id);
    assertThat(opened).hasValue(2);
    int retaken = holderOf(id);
    assertThat(retaken).isPositive().isNotEqualTo(holder);
    // And that new session is cached in turn.
    assertThat(owner.id()).isEqualTo(id);
    assertThat(opened).hasValue(2);
  }

  @Test
  void anIdTakenByAnotherSessionMeanwhileIsGivenUpForANewOne() throws Exception {
    long id = owner.id();
    terminate(holderOf(id));
    try (Connection other = db();
        PreparedStatement st = other.prepareStatement("select pg_advisory_lock(?)")) {
      st.setLong(1, id);
      st.execute();
      clock.addAndGet(ClaimOwner.REVALIDATE_AFTER.toNanos());

      long next = owner.id();

      assertThat(next).isNotEqualTo(id).isPositive();
      assertThat(holderOf(next)).isPositive();
    }
  }

  @Test
  void concurrentCallersShareOneIdAndOneLock() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> ids = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        ids.add(pool.submit(owner::id));
      }
      long first = ids.get(0).get();
      for (Future<Long> f : ids) {
        assertThat(f.get()).isEqualTo(first);
      }
      assertThat(opened).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeReleasesTheLock() throws Exception {
    long id = owner.id();
    assertThat(holderOf(id)).isPositive();

    owner.close();

    assertThat(holderOf(id)).as("no session holds the run's lock").isZero();
  }

  private static Connection db() throws SQLException {
    return TestDatabases.asOwner(DATABASE);
  }

  /** The backend holding advisory lock {@code key}; 0 when none does. */
  private static int holderOf(long key) throws SQLException {
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "select pid from pg_locks where locktype = 'advisory' and objsubid = 1 and granted"
                    + " and ((classid::bigint << 32) | objid::bigint) = ?")) {
      st.setLong(1, key);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  /** Ends a session as a PostgreSQL restart would, and waits until its lock is gone. */
  private static void terminate(int pid) throws Exception {
    try (Connection c = db();
        PreparedStatement st = c.prepareStatement("select pg_terminate_backend(?)")) {
      st.setInt(1, pid);
      st.execute();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try (Connection c = db();
          PreparedStatement st =
              c.prepareStatement("select count(*) from pg_stat_activity where pid = ?")) {
        st.setInt(1, pid);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          if (rs.getInt(1) == 0) {
            return;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("backend " + pid + " still there");
      }
      Thread.sleep(50);
    }
  }
}
