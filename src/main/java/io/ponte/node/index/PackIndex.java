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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The index's view for packing (db/node V90): which series are due, their members, the packing
 * journal (pack_journal, pack_superseded_blob: the one owner of those tables) and the switch of a
 * series' instances to their pack in one transaction.
 */
@ApplicationScoped
public class PackIndex {

  /** Journal states: the pack blob may exist, nothing points at it. */
  public static final String WRITING = "WRITING";

  /** The instances point at the pack; the single blobs listed may still exist. */
  public static final String SWITCHED = "SWITCHED";

  /** Any fixed number: the lock that keeps two packers (the node, the CLI) apart. */
  static final long LOCK_KEY = 0x706f6e7465706bL;

  @Inject IndexDatabase db;

  @Inject ClaimOwner owner;

  /** A series with at least the minimum of unpacked instances, all safe in Blob and readable. */
  public record SeriesDue(String study, String series, int instances, long bytes) {}

  /** An instance as the switch expects to find it, and where it goes in its pack. */
  public record Placement(InstanceLocation from, long packOffset) {}

  /** A journal row with the single blobs to delete once it is SWITCHED. */
  public record Journal(String packBlobName, String state, List<String> superseded) {}

  /** Holds the packers' lock while open (a session advisory lock: a kill -9 releases it). */
  public final class Lock implements AutoCloseable {
    private final Connection connection;

    private Lock(Connection connection) {
      this.connection = connection;
    }

    @Override
    public void close() throws SQLException {
      try (PreparedStatement st = connection.prepareStatement("select pg_advisory_unlock(?)")) {
        st.setLong(1, LOCK_KEY);
        st.execute();
      } finally {
        connection.close();
      }
    }
  }

  /** The packers' lock, or null when another packer holds it. */
  public Lock tryLock() throws SQLException {
    Connection c = db.connection();
    try (PreparedStatement st = c.prepareStatement("select pg_try_advisory_lock(?)")) {
      st.setLong(1, LOCK_KEY);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          return new Lock(c);
        }
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    c.close();
    return null;
  }

  /**
   * Up to {@code limit} series whose unpacked instances number at least {@code minInstances}, all
   * uploaded, none archived or rehydrating, (when {@code requireReplicated}) all replicated, the
   * latest received before {@code quietBefore}, none of {@code skipped} (by Series Instance UID):
   * oldest first.
   */
  public List<SeriesDue> seriesDue(
      Instant quietBefore,
      int minInstances,
      boolean requireReplicated,
      int limit,
      List<String> skipped)
      throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select study_instance_uid, series_instance_uid, count(*), sum(size_bytes)
                from instance
                where pack_offset is null and series_instance_uid <> all(?)
                group by study_instance_uid, series_instance_uid
                having bool_and(blob_state = 'UPLOADED' and access_tier <> 'ARCHIVE'
                                and rehydrating_since is null
                                and (not ? or replica_state = 'REPLICATED'))
                   and max(received_at) < ? and count(*) >= ?
                order by min(received_at)
                limit ?""")) {
      st.setArray(1, c.createArrayOf("varchar", skipped.toArray()));
      st.setBoolean(2, requireReplicated);
      st.setTimestamp(3, Timestamp.from(quietBefore));
      st.setInt(4, minInstances);
      st.setInt(5, limit);
      return seriesDue(st);
    }
  }

  /** The series a due query found: study, series, count(*), sum(size_bytes). */
  private static List<SeriesDue> seriesDue(PreparedStatement st) throws SQLException {
    List<SeriesDue> due = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        due.add(new SeriesDue(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
      }
    }
    return due;
  }

  /** A series' unpacked instances, in instance number order, with the warmest tier among them. */
  public record Members(List<InstanceLocation> instances, String accessTier) {}

  public Members members(String series) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select sop_instance_uid, size_bytes, sha256, cache_path, blob_name, access_tier
                from instance
                where series_instance_uid = ? and pack_offset is null and blob_state = 'UPLOADED'
                order by instance_number nulls last, sop_instance_uid""")) {
      st.setString(1, series);
      List<InstanceLocation> found = new ArrayList<>();
      String warmest = null;
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.add(InstanceLocation.read(rs, 1));
          String tier = rs.getString(6);
          if (warmest == null || TIERS.indexOf(tier) < TIERS.indexOf(warmest)) {
            warmest = tier;
          }
        }
      }
      return new Members(found, warmest == null ? "HOT" : warmest);
    }
  }

  private static final List<String> TIERS = List.of("HOT", "COOL", "COLD", "ARCHIVE");

  /** What packing at ingest may take: see {@link #pendingSeriesDue}. */
  private static final String HELD_FOR_PACK =
      """
      blob_state = 'PENDING' and pack_offset is null and blob_attempts = 0 and size_bytes <= ?
      and blob_claimed_by is null and blob_next_attempt_at > ?""";

  /**
   * Packing at ingest: up to {@code limit} series with at least {@code minInstances} instances held
   * for a pack, the latest received before {@code quietBefore}, oldest first. Held: PENDING, never
   * tried (by a pack or on its own), at most {@code maxInstanceBytes}, not yet due for an upload of
   * its own at {@code now} (a hold ended, or released by a run), and not claimed (a claim names its
   * run; a dead run's claims are held again by {@link DeadClaims}, so its series is packed after a
   * crash mid-pack).
   */
  public List<SeriesDue> pendingSeriesDue(
      Instant now, Instant quietBefore, long maxInstanceBytes, int minInstances, int limit)
      throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select study_instance_uid, series_instance_uid, count(*), sum(size_bytes)"
                    + " from instance where "
                    + HELD_FOR_PACK
                    + " group by study_instance_uid, series_instance_uid"
                    + " having max(received_at) < ? and count(*) >= ?"
                    + " order by min(received_at) limit ?")) {
      st.setLong(1, maxInstanceBytes);
      st.setTimestamp(2, Timestamp.from(now));
      st.setTimestamp(3, Timestamp.from(quietBefore));
      st.setInt(4, minInstances);
      st.setInt(5, limit);
      return seriesDue(st);
    }
  }

  /**
   * Claims a series' instances held for a pack for this run (SKIP LOCKED, as the upload queue
   * claims), pushing their next attempt to {@code leaseUntil}: the upload queue does not offer them
   * meanwhile. In instance number order.
   */
  public List<InstanceLocation> claimHeld(
      String series, Instant now, long maxInstanceBytes, Instant leaseUntil) throws SQLException {
    long run = owner.id();
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set blob_next_attempt_at = ?, blob_claimed_by = ?,"
                    + " blob_claim_held = true where sop_instance_uid in ("
                    + " select sop_instance_uid from instance where series_instance_uid = ? and "
                    + HELD_FOR_PACK
                    + " for update skip locked)"
                    + " returning sop_instance_uid, size_bytes, sha256, cache_path, blob_name,"
                    + " instance_number")) {
      st.setTimestamp(1, Timestamp.from(leaseUntil));
      st.setLong(2, run);
      st.setString(3, series);
      st.setLong(4, maxInstanceBytes);
      st.setTimestamp(5, Timestamp.from(now));
      record Claimed(InstanceLocation at, Integer number) {}
      List<Claimed> found = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          int n = rs.getInt(6);
          // wasNull speaks of the last column read: before the location's columns are.
          Integer number = rs.wasNull() ? null : n;
          found.add(new Claimed(InstanceLocation.read(rs, 1), number));
        }
      }
      found.sort(
          java.util.Comparator.comparing(
                  Claimed::number,
                  java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
              .thenComparing(cl -> cl.at().sopInstanceUid()));
      return found.stream().map(Claimed::at).toList();
    }
  }

  /** The rows still claimed by this run, for a pack at ingest ({@code blob_claim_held}) or not. */
  private static final String OWN_CLAIM =
      " and blob_state = 'PENDING' and pack_offset is null and blob_claimed_by = ?"
          + " and blob_claim_held = ?";

  /**
   * Instances claimed out of their hold ({@link #claimHeld}) a pack did not take, due at {@code
   * now} for an upload of their own (and so no longer held); {@code failed}: the pack failed, which
   * counts as their first attempt. Only those still claimed by this run for a pack at ingest: one
   * whose lease ran out and that the upload worker (of this run too) or another run took meanwhile
   * is left to its new owner. Returns how many were released.
   */
  public int releaseHeld(List<String> sopInstanceUids, Instant now, boolean failed)
      throws SQLException {
    return release(sopInstanceUids, now, failed, true);
  }

  /**
   * Instances claimed with {@link #claimPending} a pack did not take, due at {@code now} for an
   * upload of their own; only those still claimed by this run in that way.
   */
  public int releasePending(List<String> sopInstanceUids, Instant now) throws SQLException {
    return release(sopInstanceUids, now, false, false);
  }

  private int release(List<String> sopInstanceUids, Instant now, boolean failed, boolean held)
      throws SQLException {
    return updateOwnClaims(
        sopInstanceUids,
        held,
        "blob_next_attempt_at = ?, blob_attempts = blob_attempts + ?, blob_claimed_by = null,"
            + " blob_claim_held = false",
        st -> {
          st.setTimestamp(1, Timestamp.from(now));
          st.setInt(2, failed ? 1 : 0);
          return 3;
        });
  }

  /** Binds a set clause's parameters from 1; returns the next parameter's index. */
  @FunctionalInterface
  private interface SetValues {
    int bind(PreparedStatement st) throws SQLException;
  }

  /**
   * {@code update instance set <set>} on those of {@code sopInstanceUids} still claimed by this run
   * ({@code held}: with {@link #claimHeld}, else with {@link #claimPending}); how many.
   */
  private int updateOwnClaims(
      List<String> sopInstanceUids, boolean held, String set, SetValues values)
      throws SQLException {
    if (sopInstanceUids.isEmpty()) {
      return 0;
    }
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set " + set + " where sop_instance_uid = any(?)" + OWN_CLAIM)) {
      int p = values.bind(st);
      st.setArray(p++, c.createArrayOf("varchar", sopInstanceUids.toArray()));
      st.setLong(p++, owner.id());
      st.setBoolean(p, held);
      return st.executeUpdate();
    }
  }

  /**
   * Pushes the lease of those of {@code sopInstanceUids} still claimed by this run ({@code held}:
   * by {@link #claimHeld}, else by {@link #claimPending}) to {@code leaseUntil}, as a long pack
   * goes on; returns how many are still this run's.
   */
  public int renew(List<String> sopInstanceUids, Instant leaseUntil, boolean held)
      throws SQLException {
    return updateOwnClaims(
        sopInstanceUids,
        held,
        "blob_next_attempt_at = ?",
        st -> {
          st.setTimestamp(1, Timestamp.from(leaseUntil));
          return 2;
        });
  }

  /** Records the intent to write {@code pack}, before a byte of it is written. */
  public void begin(
      String pack, String study, String series, int instances, long bytes, Instant now)
      throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                insert into pack_journal (blob_name, study_instance_uid, series_instance_uid, state,
                    instances, size_bytes, started_at)
                values (?, ?, ?, 'WRITING', ?, ?, ?)""")) {
      st.setString(1, pack);
      st.setString(2, study);
      st.setString(3, series);
      st.setInt(4, instances);
      st.setLong(5, bytes);
      st.setTimestamp(6, Timestamp.from(now));
      st.executeUpdate();
    }
  }

  /**
   * Points every placed instance at {@code pack}, in one transaction that also lists their single
   * blobs for deletion and marks the journal SWITCHED; all or nothing. False (nothing changed) when
   * any of them is no longer as the pack was made from (gone, re-located, other content).
   */
  public boolean switchToPack(String pack, List<Placement> placements, String tier, Instant now)
      throws SQLException {
    return switchToPack(pack, placements, tier, now, null);
  }

  /**
   * Packing at ingest or by {@code ponte migrate}: points every placed PENDING instance (claimed
   * with {@link #claimHeld} or {@link #claimPending}) at {@code pack} and marks it UPLOADED (safe
   * in Blob from now on, so eviction may release its cache file), and ends the journal row, in one
   * transaction; nothing is superseded (no instance had an object of its own). False (nothing
   * changed) when any of them is no longer as the pack was made from, or no longer claimed by this
   * run as it was ({@code held}: with {@link #claimHeld}, else with {@link #claimPending}): a claim
   * whose lease ran out and that the upload worker took meanwhile stays the worker's.
   */
  public boolean switchPendingToPack(
      String pack, List<Placement> placements, Instant now, boolean held) throws SQLException {
    return switchToPack(pack, placements, "HOT", now, held);
  }

  /** {@code held}: null for UPLOADED instances, else how this run claimed the PENDING ones. */
  private boolean switchToPack(
      String pack, List<Placement> placements, String tier, Instant now, Boolean held)
      throws SQLException {
    boolean pending = held != null;
    long run = pending ? owner.id() : 0;
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        Map<String, Placement> bySop = new HashMap<>();
        for (Placement p : placements) {
          bySop.put(p.from().sopInstanceUid(), p);
        }
        int unchanged = 0;
        try (PreparedStatement st =
            c.prepareStatement(
                "select sop_instance_uid, blob_name, sha256, size_bytes from instance"
                    + " where sop_instance_uid = any(?)"
                    + (pending ? OWN_CLAIM : " and pack_offset is null and blob_state = 'UPLOADED'")
                    + " for update")) {
          st.setArray(1, c.createArrayOf("varchar", bySop.keySet().toArray()));
          if (pending) {
            st.setLong(2, run);
            st.setBoolean(3, held);
          }
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              InstanceLocation was = bySop.get(rs.getString(1)).from();
              if (was.blobName().equals(rs.getString(2))
                  && was.sha256().equals(rs.getString(3))
                  && was.size() == rs.getLong(4)) {
                unchanged++;
              }
            }
          }
        }
        if (unchanged != placements.size()) {
          c.rollback();
          return false;
        }
        try (PreparedStatement move =
                c.prepareStatement(
                    "update instance set blob_name = ?, pack_offset = ?, access_tier = ?"
                        + (pending
                            ? ", blob_state = 'UPLOADED', blob_attempts = blob_attempts + 1,"
                                + " blob_next_attempt_at = null, blob_claimed_by = null,"
                                + " blob_claim_held = false"
                            : "")
                        + " where sop_instance_uid = ?");
            PreparedStatement superseded =
                c.prepareStatement(
                    "insert into pack_superseded_blob (blob_name, pack_blob_name) values (?, ?)"
                        + " on conflict (blob_name) do nothing")) {
          for (Placement p : placements) {
            move.setString(1, pack);
            move.setLong(2, p.packOffset());
            move.setString(3, tier);
            move.setString(4, p.from().sopInstanceUid());
            move.addBatch();
            if (!pending) {
              superseded.setString(1, p.from().blobName());
              superseded.setString(2, pack);
              superseded.addBatch();
            }
          }
          move.executeBatch();
          if (!pending) {
            superseded.executeBatch();
          }
        }
        try (PreparedStatement st =
            pending
                // Nothing to clean up after a switch at ingest: the journal row ends with it.
                ? c.prepareStatement("delete from pack_journal where blob_name = ?")
                : c.prepareStatement(
                    "update pack_journal set state = 'SWITCHED', switched_at = ?"
                        + " where blob_name = ?")) {
          if (pending) {
            st.setString(1, pack);
          } else {
            st.setTimestamp(1, Timestamp.from(now));
            st.setString(2, pack);
          }
          if (st.executeUpdate() != 1) {
            throw new SQLException("pack " + pack + " has no journal row");
          }
        }
        c.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** A PENDING instance claimed for a pack, with its study and series. */
  public record PendingMember(String study, String series, InstanceLocation location) {}

  /**
   * Claims those of {@code sops} still PENDING upload and due (not leased by an uploader or another
   * claim) for this run, pushing their next attempt to {@code leaseUntil} as the upload worker's
   * claim does: the claimer packs them, or they go to the upload worker once released (the run
   * ended, {@link DeadClaims}) or the lease ends.
   */
  public List<PendingMember> claimPending(List<String> sops, Instant now, Instant leaseUntil)
      throws SQLException {
    List<PendingMember> claimed = new ArrayList<>();
    if (sops.isEmpty()) {
      return claimed;
    }
    long run = owner.id();
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                update instance set blob_next_attempt_at = ?, blob_claimed_by = ?,
                    blob_claim_held = false
                where sop_instance_uid in (
                    select sop_instance_uid from instance
                    where sop_instance_uid = any(?) and blob_state = 'PENDING'
                      and pack_offset is null and cache_path is not null
                      and blob_next_attempt_at <= ?
                    for update skip locked)
                returning study_instance_uid, series_instance_uid, sop_instance_uid, size_bytes,
                    sha256, cache_path, blob_name""")) {
      st.setTimestamp(1, Timestamp.from(leaseUntil));
      st.setLong(2, run);
      st.setArray(3, c.createArrayOf("varchar", sops.toArray()));
      st.setTimestamp(4, Timestamp.from(now));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          claimed.add(
              new PendingMember(rs.getString(1), rs.getString(2), InstanceLocation.read(rs, 3)));
        }
      }
    }
    return claimed;
  }

  /** Every unfinished journal row, with the single blobs a SWITCHED one still lists. */
  public List<Journal> unfinished() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select j.blob_name, j.state, s.blob_name
                from pack_journal j left join pack_superseded_blob s on s.pack_blob_name = j.blob_name
                order by j.blob_name""");
        ResultSet rs = st.executeQuery()) {
      Map<String, Journal> rows = new java.util.LinkedHashMap<>();
      while (rs.next()) {
        Journal j =
            rows.computeIfAbsent(
                rs.getString(1), name -> new Journal(name, null, new ArrayList<>()));
        if (j.state() == null) {
          j = new Journal(j.packBlobName(), rs.getString(2), j.superseded());
          rows.put(j.packBlobName(), j);
        }
        if (rs.getString(3) != null) {
          j.superseded().add(rs.getString(3));
        }
      }
      return new ArrayList<>(rows.values());
    }
  }

  /** Whether any instance points at {@code pack}. */
  public boolean referenced(String pack) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                "select 1 from instance where blob_name = ? and pack_offset is not null limit 1")) {
      st.setString(1, pack);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The journal row of a pack done with (cleaned up, or abandoned and its blob deleted). */
  public void forget(String pack) throws SQLException {
    PackJournals.forget(db, PackJournals.PRIMARY, pack);
  }

  /**
   * A packed instance whose copy in the pack went bad, rewritten as an object of its own: it leaves
   * the pack (whose bytes for it become dead space). False when it is no longer in that pack.
   */
  public boolean unpack(String sopInstanceUid, String pack) throws SQLException {
    try (Connection c = db.connection()) {
      return unpack(c, sopInstanceUid, pack);
    }
  }

  static boolean unpack(Connection c, String sopInstanceUid, String pack) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "update instance set pack_offset = null,"
                + " blob_name = regexp_replace(blob_name, '[^/]*$', sop_instance_uid || '.dcm')"
                + " where sop_instance_uid = ? and blob_name = ? and pack_offset is not null")) {
      st.setString(1, sopInstanceUid);
      st.setString(2, pack);
      return st.executeUpdate() == 1;
    }
  }

  /** Deletes one object (a Blob call), run while a row lock is held. */
  @FunctionalInterface
  public interface Deletion {
    void delete() throws java.io.IOException;
  }

  /**
   * Deletes a superseded single blob ({@code study/series/sop.dcm}) unless its instance points at
   * it again (a repair rewrote it out of its pack), holding the instance's row lock meanwhile, so
   * that a repair (which holds the same lock from its write until it points the instance at the
   * object) cannot interleave. Then its superseded row goes. True when deleted.
   */
  public boolean deleteSuperseded(String singleBlobName, Deletion deletion)
      throws SQLException, java.io.IOException {
    return PackJournals.deleteSuperseded(
        db, PackJournals.PRIMARY, singleBlobName, RowLockedDeletion.ownObject(), deletion);
  }

  /** Objects in Blob by kind: instances with a blob of their own, and packs. */
  public record ObjectCounts(long singles, long packs, long packedInstances) {}

  public ObjectCounts objectCounts() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement st =
            c.prepareStatement(
                """
                select count(*) filter (where pack_offset is null and blob_state = 'UPLOADED'),
                       count(distinct blob_name) filter (where pack_offset is not null),
                       count(*) filter (where pack_offset is not null)
                from instance""");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return new ObjectCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }
}
