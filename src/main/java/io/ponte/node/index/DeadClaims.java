package io.ponte.node.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Releases the claims of runs that have ended (db/node V120): a claim names its run ({@link
 * ClaimOwner}), and a run whose advisory lock is gone from {@code pg_locks} is dead (its session
 * ended: kill -9, power loss, a stopped process), so its claims are released at once rather than
 * waited out: an upload or replica claim is due now; a claim that took instances out of their hold
 * for a pack at ingest is held for a pack again. A live run's claims are never touched, whatever
 * their age. Cheap: only claimed rows are looked at (a partial index).
 */
@ApplicationScoped
public class DeadClaims {

  /**
   * The run ids whose lock is held in this database now (single-key advisory locks), as a {@code
   * live} CTE that a statement follows.
   */
  static final String LIVE_RUNS =
      """
      with live as (
          select (classid::bigint << 32) | objid::bigint as run from pg_locks
          where locktype = 'advisory' and objsubid = 1 and granted
            and database = (select oid from pg_database where datname = current_database()))
      """;

  @Inject IndexDatabase db;

  /** How many claims one release ended, per queue. */
  public record Released(int uploads, int held, int replicas) {
    public int total() {
      return uploads + held + replicas;
    }
  }

  /**
   * Releases every dead run's claim as of {@code now}: upload claims due at {@code now}, claims
   * taken out of a hold for a pack held again until {@code heldUntil} (at {@code now}: due for an
   * upload of their own, as when packing at ingest is off), replica claims due at {@code now}.
   */
  public Released release(Instant now, Instant heldUntil) throws SQLException {
    try (Connection c = db.connection()) {
      int held = releaseBlob(c, true, heldUntil);
      int uploads = releaseBlob(c, false, now);
      int replicas;
      try (PreparedStatement st =
          c.prepareStatement(
              LIVE_RUNS
                  + """
                  update instance set replica_next_attempt_at = ?, replica_claimed_by = null
                  where replica_claimed_by is not null
                    and replica_claimed_by not in (select run from live)""")) {
        st.setTimestamp(1, Timestamp.from(now));
        replicas = st.executeUpdate();
      }
      return new Released(uploads, held, replicas);
    }
  }

  private static int releaseBlob(Connection c, boolean claimHeld, Instant dueAt)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            LIVE_RUNS
                + """
                update instance set blob_next_attempt_at = ?, blob_claimed_by = null,
                    blob_claim_held = false
                where blob_claimed_by is not null and blob_claim_held = ?
                  and blob_claimed_by not in (select run from live)""")) {
      st.setTimestamp(1, Timestamp.from(dueAt));
      st.setBoolean(2, claimHeld);
      return st.executeUpdate();
    }
  }
}
