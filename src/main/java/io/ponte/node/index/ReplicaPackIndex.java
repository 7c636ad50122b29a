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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The index's view for packs in the replica (db/node V130): which primary packs the replica does
 * not hold yet, their members, the replica's pack journal (replica_pack_journal,
 * replica_superseded_blob: the one owner of those tables) and the mark of a pack's instances as
 * replicated in it, in one transaction. No lock of its own: a copier owns a pack by its journal row
 * (one per pack name), and only the owner can switch it.
 */
@ApplicationScoped
public class ReplicaPackIndex {

  public static final String SWITCHED = "SWITCHED";

  @Inject IndexDatabase db;

  @Inject ReplicaQueue queue;

  /** A journal row with the replica objects to delete once it is SWITCHED. */
  public record Journal(String packBlobName, String state, String owner, List<String> superseded) {}

  /**
   * Up to {@code limit} primary packs with an instance due whose replica copy is not in that pack
   * (not replicated yet, or replicated as an object of its own before it was packed), oldest first.
   */
  public List<String> packsDue(Instant now, int limit) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select blob_name from instance
                where pack_offset is not null and replica_pack is distinct from blob_name
                  and (replica_next_attempt_at is null or replica_next_attempt_at <= ?)
                group by blob_name order by min(received_at) limit ?""")) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setInt(2, limit);
      List<String> packs = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          packs.add(rs.getString(1));
        }
      }
      return packs;
    }
  }

  /**
   * Claims the pack's due instances not replicated in it ({@link ReplicaQueue}'s claim), pushing
   * their next attempt to {@code leaseUntil} and naming this run ({@link ClaimOwner}): a crash
   * mid-copy loses none ({@link DeadClaims} releases them), and no other copier takes them
   * meanwhile.
   */
  public List<ReplicaQueue.Claimed> claimPack(String pack, Instant now, Instant leaseUntil)
      throws SQLException {
    return queue.claim(
        """
        select sop_instance_uid from instance
        where blob_name = ? and pack_offset is not null
          and replica_pack is distinct from blob_name
          and (replica_next_attempt_at is null or replica_next_attempt_at <= ?)""",
        leaseUntil,
        (st, first) -> {
          st.setString(first, pack);
          st.setTimestamp(first + 1, Timestamp.from(now));
        });
  }

  /** Every instance the index places in {@code pack}, by SOP Instance UID. */
  public Map<String, InstanceLocation> inPack(String pack) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select sop_instance_uid, size_bytes, sha256, cache_path, blob_name, pack_offset
                from instance where blob_name = ? and pack_offset is not null""")) {
      st.setString(1, pack);
      Map<String, InstanceLocation> found = new LinkedHashMap<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          InstanceLocation at = InstanceLocation.read(rs, 1, 6);
          found.put(at.sopInstanceUid(), at);
        }
      }
      return found;
    }
  }

  /**
   * Records the intent to copy {@code pack} to the replica, before a byte of it is written. False
   * when a journal row for it exists already (another copier's, or a leftover a later run
   * finishes).
   */
  public boolean begin(String pack, String owner, Instant now) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                insert into replica_pack_journal (blob_name, state, owner, started_at)
                values (?, 'WRITING', ?, ?) on conflict (blob_name) do nothing""")) {
      st.setString(1, pack);
      st.setString(2, owner);
      st.setTimestamp(3, Timestamp.from(now));
      return st.executeUpdate() == 1;
    }
  }

  /**
   * The copy of {@code pack} in the replica is proven: in one transaction, every instance still
   * placed in it as {@code copied} says (same offset, size and SHA-256) is marked REPLICATED in it,
   * the objects of their own the replica held the replicated ones as are listed for deletion, and
   * the journal row is SWITCHED; only while {@code owner} still holds that row WRITING. Returns how
   * many were marked (0: nothing changed).
   */
  public int markReplicated(
      String pack, String owner, Map<String, InstanceLocation> copied, Instant now)
      throws SQLException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement st =
            c.prepareStatement(
                "update replica_pack_journal set state = 'SWITCHED', switched_at = ?"
                    + " where blob_name = ? and owner = ? and state = 'WRITING'")) {
          st.setTimestamp(1, Timestamp.from(now));
          st.setString(2, pack);
          st.setString(3, owner);
          if (st.executeUpdate() != 1) {
            c.rollback();
            return 0;
          }
        }
        List<String> marked = new ArrayList<>();
        List<String> superseded = new ArrayList<>();
        try (PreparedStatement st =
            c.prepareStatement(
                """
                select sop_instance_uid, size_bytes, sha256, pack_offset,
                       replica_state = 'REPLICATED' and replica_pack is null
                from instance where blob_name = ? and pack_offset is not null for update""")) {
          st.setString(1, pack);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              InstanceLocation was = copied.get(rs.getString(1));
              if (was != null
                  && was.size() == rs.getLong(2)
                  && was.sha256().equals(rs.getString(3))
                  && was.packOffset() == rs.getLong(4)) {
                marked.add(was.sopInstanceUid());
                if (rs.getBoolean(5)) {
                  superseded.add(was.ownBlobName());
                }
              }
            }
          }
        }
        if (marked.isEmpty()) {
          c.rollback();
          return 0;
        }
        try (PreparedStatement st =
            c.prepareStatement(
                """
                update instance set replica_state = 'REPLICATED', replica_pack = ?,
                    replica_attempts = replica_attempts + 1, replica_next_attempt_at = null,
                    replicated_at = ?, replica_claimed_by = null
                where sop_instance_uid = any(?)""")) {
          st.setString(1, pack);
          st.setTimestamp(2, Timestamp.from(now));
          st.setArray(3, c.createArrayOf("varchar", marked.toArray()));
          st.executeUpdate();
        }
        try (PreparedStatement st =
            c.prepareStatement(
                "insert into replica_superseded_blob (blob_name, pack_blob_name) values (?, ?)"
                    + " on conflict (blob_name) do nothing")) {
          for (String single : superseded) {
            st.setString(1, single);
            st.setString(2, pack);
            st.addBatch();
          }
          st.executeBatch();
        }
        c.commit();
        return marked.size();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * {@code ponte node rebuild-index --from-replica}: the instances just indexed from a replica pack
   * (and copied back to the primary) are replicated in it.
   */
  public void markRebuilt(List<String> sopInstanceUids, String pack, Instant now)
      throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                update instance set replica_state = 'REPLICATED', replica_pack = ?,
                    replica_next_attempt_at = null, replicated_at = ?, replica_claimed_by = null
                where sop_instance_uid = any(?) and blob_name = ? and pack_offset is not null""")) {
      st.setString(1, pack);
      st.setTimestamp(2, Timestamp.from(now));
      st.setArray(3, c.createArrayOf("varchar", sopInstanceUids.toArray()));
      st.setString(4, pack);
      st.executeUpdate();
    }
  }

  /**
   * The journal rows a recovery by run {@code thisRun} finishes: every SWITCHED or ABANDONED one,
   * and the WRITING ones no copier is writing: a dead run's (its lock gone from {@code pg_locks},
   * as {@link DeadClaims} tells) or {@code thisRun}'s own (it copies one pack at a time, and none
   * while it recovers). Another live run's copy is never taken, however long it takes.
   */
  public List<Journal> unfinished(String thisRun) throws SQLException {
    return journals(
        DeadClaims.LIVE_RUNS,
        "j.state <> 'WRITING' or j.owner = ? or j.owner not in (select run::text from live)",
        st -> st.setString(1, thisRun));
  }

  /** The journal row of {@code pack} once SWITCHED, with the objects it supersedes; or null. */
  public Journal switched(String pack) throws SQLException {
    List<Journal> found =
        journals("", "j.blob_name = ? and j.state = 'SWITCHED'", st -> st.setString(1, pack));
    return found.isEmpty() ? null : found.get(0);
  }

  private interface Binder {
    void bind(PreparedStatement st) throws SQLException;
  }

  private List<Journal> journals(String with, String where, Binder binder) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                with
                    + "select j.blob_name, j.state, j.owner, s.blob_name from replica_pack_journal j"
                    + " left join replica_superseded_blob s on s.pack_blob_name = j.blob_name"
                    + " where "
                    + where
                    + " order by j.blob_name")) {
      binder.bind(st);
      Map<String, Journal> rows = new LinkedHashMap<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          Journal j = rows.get(name);
          if (j == null) {
            j = new Journal(name, rs.getString(2), rs.getString(3), new ArrayList<>());
            rows.put(name, j);
          }
          if (rs.getString(4) != null) {
            j.superseded().add(rs.getString(4));
          }
        }
      }
      return new ArrayList<>(rows.values());
    }
  }

  /**
   * Takes a WRITING row from its copier (which then can no longer switch it): true when it was
   * still WRITING under {@code owner}, and is now ABANDONED, its copy to be deleted.
   */
  public boolean abandon(String pack, String owner) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update replica_pack_journal set state = 'ABANDONED'"
                    + " where blob_name = ? and owner = ? and state in ('WRITING', 'ABANDONED')")) {
      st.setString(1, pack);
      st.setString(2, owner);
      return st.executeUpdate() == 1;
    }
  }

  /** Whether any instance is replicated in {@code pack} (the replica's copy is in use). */
  public boolean referenced(String pack) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement("select 1 from instance where replica_pack = ? limit 1")) {
      st.setString(1, pack);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The journal row of a copy done with (cleaned up, or abandoned and deleted). */
  public void forget(String pack) throws SQLException {
    PackJournals.forget(db, PackJournals.REPLICA, pack);
  }

  /**
   * Deletes a replica object of its own ({@code study/series/sop.dcm}) a replica pack replaced,
   * unless its instance is replicated as that object again (fixity rewrote it there), holding the
   * instance's row lock meanwhile so that such a rewrite cannot interleave. True when deleted.
   */
  public boolean deleteSuperseded(String singleBlobName, PackIndex.Deletion deletion)
      throws SQLException, java.io.IOException {
    return PackJournals.deleteSuperseded(
        db,
        PackJournals.REPLICA,
        singleBlobName,
        (c, sop, name) -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "select replica_pack is null and replica_state = 'REPLICATED' from instance"
                      + " where sop_instance_uid = ? for update")) {
            st.setString(1, sop);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() && rs.getBoolean(1);
            }
          }
        },
        deletion);
  }

  /** Instances that leave their replica pack (a repair rewrote them as objects of their own). */
  public void leavePack(String sopInstanceUid) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set replica_pack = null where sop_instance_uid = ?")) {
      st.setString(1, sopInstanceUid);
      st.executeUpdate();
    }
  }
}
