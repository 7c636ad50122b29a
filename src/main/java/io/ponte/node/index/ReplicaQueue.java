package io.ponte.node.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances whose replica copy is not yet verified (db/node V80, replica_state PENDING), as the
 * replication worker claims and settles them: the same SKIP LOCKED claim with a lease as {@link
 * UploadQueue}, on columns of their own, so the replica never holds up the primary upload. Those
 * the primary holds in a pack are replicated as that pack ({@link ReplicaPackIndex}), not here.
 */
@ApplicationScoped
public class ReplicaQueue {

  public static final String PENDING = "PENDING";

  public static final String REPLICATED = "REPLICATED";

  @Inject IndexDatabase db;

  @Inject ClaimOwner owner;

  /** An instance to replicate: where it is, and how often replicating it failed so far. */
  public record Claimed(InstanceLocation location, boolean uploaded, int attempts) {}

  /**
   * Claims up to {@code limit} instances due for replication, pushing their next attempt to {@code
   * leaseUntil} and naming this run ({@link ClaimOwner}), so that no other worker copies them at
   * once and a crash mid-copy loses none ({@link DeadClaims} releases them).
   */
  public List<Claimed> claimDue(int limit, Instant now, Instant leaseUntil) throws SQLException {
    return claim(
        """
        select sop_instance_uid from instance
        where replica_state = 'PENDING' and pack_offset is null
          and (replica_next_attempt_at is null or replica_next_attempt_at <= ?)
        order by replica_next_attempt_at nulls first
        limit ?""",
        leaseUntil,
        (st, first) -> {
          st.setTimestamp(first, Timestamp.from(now));
          st.setInt(first + 1, limit);
        });
  }

  /** Binds the parameters of a claim's {@code pick}, the first at {@code first}. */
  @FunctionalInterface
  interface PickParameters {
    void bind(PreparedStatement st, int first) throws SQLException;
  }

  /**
   * Claims the rows {@code pick} selects (SKIP LOCKED) for this run until {@code leaseUntil}: the
   * one claim statement of the replica's queues, here and for a pack's copy ({@link
   * ReplicaPackIndex#claimPack}).
   */
  List<Claimed> claim(String pick, Instant leaseUntil, PickParameters parameters)
      throws SQLException {
    long run = owner.id();
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set replica_next_attempt_at = ?, replica_claimed_by = ?"
                    + " where sop_instance_uid in ("
                    + pick
                    + " for update skip locked) returning sop_instance_uid, size_bytes, sha256,"
                    + " cache_path, blob_name, blob_state = 'UPLOADED', replica_attempts,"
                    + " pack_offset")) {
      st.setTimestamp(1, Timestamp.from(leaseUntil));
      st.setLong(2, run);
      parameters.bind(st, 3);
      List<Claimed> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(new Claimed(InstanceLocation.read(rs, 1, 8), rs.getBoolean(6), rs.getInt(7)));
        }
      }
      return rows;
    }
  }

  /**
   * The row as it was copied: still PENDING and still at {@code copied}'s blob, size, SHA-256 and
   * pack offset (none for an object of its own). A claim names its run, which the replication
   * worker and the pack replicator share, so the owner alone cannot tell a claim of what was copied
   * from one taken since of something else (the instance re-sent, healed or packed meanwhile).
   */
  private static final String AS_COPIED =
      " and replica_state = 'PENDING' and blob_name = ? and size_bytes = ? and sha256 = ?"
          + " and coalesce(pack_offset, -1) = ?";

  private static final String SET_REPLICATED =
      """
      update instance set replica_state = 'REPLICATED', replica_attempts = replica_attempts + 1,
          replica_next_attempt_at = null, replicated_at = ?, replica_pack = null,
          replica_claimed_by = null
      where sop_instance_uid = ?""";

  /**
   * The replica's copy of the claimed {@code copied}, an object of its own, was written and
   * verified: REPLICATED. False (nothing changed) when the row is no longer this run's claim of
   * what was copied: its lease ran out or it was released and another took it, or the instance
   * changed meanwhile; the copy then proves nothing about the row as it is now.
   */
  public boolean markReplicated(InstanceLocation copied, Instant at) throws SQLException {
    return settle(
        SET_REPLICATED + AS_COPIED + " and replica_claimed_by = ?",
        copied,
        true,
        st -> {
          st.setTimestamp(1, Timestamp.from(at));
          return 2;
        });
  }

  /**
   * Deletes the replica object of an instance whose row is gone, under the lock a re-sent
   * instance's new row would take: a copy that outlived its claim because the study's deletion ran
   * meanwhile (and had deleted that name already) would otherwise keep the deleted instance in the
   * replica. A copy of an instance that still has a row is left: its name is the instance's own,
   * which a newer claim may have written. True when deleted.
   */
  public boolean deleteIfGone(String sopInstanceUid, PackIndex.Deletion delete)
      throws SQLException, java.io.IOException {
    return RowLockedDeletion.deleteUnlessInUse(
        db, sopInstanceUid, null, RowLockedDeletion.rowExists(), delete, c -> {});
  }

  /**
   * A copy of {@code copied} that outlived its claim was written under the instance's own name,
   * which it still has if it was sent again since (its study deleted meanwhile) with other bytes:
   * the old bytes may then have landed over the replica's copy of the new ones, which another claim
   * may have marked REPLICATED already. Such a row (a SHA-256 other than the copy's, its replica
   * copy that object, not a replica pack) goes back to PENDING, unclaimed and due at once, so it is
   * copied again (a claim copying it right now then settles nothing: its claim is gone). True when
   * it did.
   */
  public boolean copyAgainIfChanged(InstanceLocation copied) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                update instance set replica_state = 'PENDING', replica_claimed_by = null,
                    replica_next_attempt_at = null, replica_attempts = 0, replicated_at = null
                where sop_instance_uid = ? and sha256 <> ? and replica_pack is null""")) {
      st.setString(1, copied.sopInstanceUid());
      st.setString(2, copied.sha256());
      return st.executeUpdate() == 1;
    }
  }

  /**
   * A copy made without a claim ({@code ponte node rebuild-index --from-replica}, which wrote the
   * object it indexed): REPLICATED unless someone claimed it meanwhile (who then settles it) or it
   * is no longer what was copied.
   */
  public boolean markReplicatedUnclaimed(InstanceLocation copied, Instant at) throws SQLException {
    return settle(
        SET_REPLICATED + AS_COPIED + " and replica_claimed_by is null",
        copied,
        false,
        st -> {
          st.setTimestamp(1, Timestamp.from(at));
          return 2;
        });
  }

  /**
   * A failed attempt at this run's claim of {@code copied} (an instance of its own, or a pack's
   * member): it waits until {@code nextAttemptAt}. False when the claim was no longer its.
   */
  public boolean markFailed(InstanceLocation copied, int attempts, Instant nextAttemptAt)
      throws SQLException {
    return settle(
        "update instance set replica_attempts = ?, replica_next_attempt_at = ?,"
            + " replica_claimed_by = null where sop_instance_uid = ?"
            + AS_COPIED
            + " and replica_claimed_by = ?",
        copied,
        true,
        st -> {
          st.setInt(1, attempts);
          st.setTimestamp(2, Timestamp.from(nextAttemptAt));
          return 3;
        });
  }

  /** Binds a set clause's parameters from 1; returns the next parameter's index. */
  @FunctionalInterface
  private interface SetValues {
    int bind(PreparedStatement st) throws SQLException;
  }

  /**
   * Runs {@code update} (its set clause, then {@code where sop_instance_uid = ?}, {@link
   * #AS_COPIED} and, when {@code claimed}, this run as the claim's owner); whether it changed the
   * row.
   */
  private boolean settle(String update, InstanceLocation copied, boolean claimed, SetValues set)
      throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st = c.prepareStatement(update)) {
      int p = set.bind(st);
      st.setString(p++, copied.sopInstanceUid());
      st.setString(p++, copied.blobName());
      st.setLong(p++, copied.size());
      st.setString(p++, copied.sha256());
      st.setLong(p++, copied.packed() ? copied.packOffset() : -1);
      if (claimed) {
        st.setLong(p, owner.id());
      }
      return st.executeUpdate() == 1;
    }
  }

  /** Queues the instance again (its replica copy was found bad and could not be rewritten now). */
  public void requeue(String sopInstanceUid) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                update instance set replica_state = 'PENDING', replica_next_attempt_at = null,
                    replicated_at = null, replica_pack = null, replica_claimed_by = null
                where sop_instance_uid = ?""")) {
      st.setString(1, sopInstanceUid);
      st.executeUpdate();
    }
  }

  /** Whether the instance's replica copy was verified. */
  public boolean replicated(String sopInstanceUid) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement("select replica_state from instance where sop_instance_uid = ?")) {
      st.setString(1, sopInstanceUid);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() && REPLICATED.equals(rs.getString(1));
      }
    }
  }

  /** Instances whose replica copy is not yet verified. */
  public long backlog() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement("select count(*) from instance where replica_state = 'PENDING'");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** When the oldest instance still waiting for its replica copy was received, or null. */
  public Instant oldestPending() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select min(received_at) from instance where replica_state = 'PENDING'");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      Timestamp t = rs.getTimestamp(1);
      return t == null ? null : t.toInstant();
    }
  }
}
