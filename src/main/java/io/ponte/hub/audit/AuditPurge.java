package io.ponte.hub.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Removes the start of the audit chain up to a date, keeping it verifiable: in one transaction, as
 * the owner role (the application's role may not DELETE audit rows, and the append-only trigger
 * refuses everyone, so the owner switches it off for this transaction only), it checks the chain
 * first (a broken chain is never purged: that would erase the evidence), deletes the rows before
 * the first row recorded on or after {@code before} (a whole prefix, never a row from the middle),
 * and records an anchor: the last removed row's seq and hash, which is the first kept row's
 * prev_hash. {@link ChainVerifier} starts from the latest anchor. Plain JDBC, for {@code ponte
 * audit purge}.
 */
public final class AuditPurge {

  /** What was removed; {@code anchorHash} is null when nothing was. */
  public record Result(long purgedRows, long throughSeq, String anchorHash) {}

  /** The chain was broken before the purge; nothing was removed. */
  public static final class BrokenChain extends Exception {
    final transient ChainVerifier.Verification verification;

    BrokenChain(ChainVerifier.Verification v) {
      super("audit chain BROKEN at record " + v.firstBrokenSeq() + ": " + v.problem());
      this.verification = v;
    }
  }

  private final Connection connection;

  public AuditPurge(Connection connection) {
    this.connection = connection;
  }

  public Result purgeBefore(Instant before) throws SQLException, BrokenChain {
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      // Appends wait while the purge runs (the same lock the writer's batches take), so the chain
      // checked is the chain purged.
      s.execute("select pg_advisory_xact_lock(" + AuditWriter.CHAIN_LOCK + ")");
      ChainVerifier.Verification v = new ChainVerifier(connection).verify(null, null);
      if (!v.intact()) {
        connection.rollback();
        throw new BrokenChain(v);
      }
      long through;
      try (PreparedStatement ps =
          connection.prepareStatement(
              "select coalesce((select min(seq) from audit_record where recorded_at >= ?),"
                  + " (select max(seq) + 1 from audit_record)) - 1")) {
        ps.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          through = rs.getLong(1);
          if (rs.wasNull()) {
            through = 0;
          }
        }
      }
      String hash = null;
      try (PreparedStatement ps =
          connection.prepareStatement("select hash from audit_record where seq = ?")) {
        ps.setLong(1, through);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            hash = rs.getString(1);
          }
        }
      }
      if (hash == null) {
        // Nothing before the date (or already purged up to it).
        connection.rollback();
        return new Result(0, through, null);
      }
      s.execute("alter table audit_record disable trigger audit_record_no_update");
      long removed;
      try (PreparedStatement ps =
          connection.prepareStatement("delete from audit_record where seq <= ?")) {
        ps.setLong(1, through);
        removed = ps.executeUpdate();
      }
      s.execute("alter table audit_record enable trigger audit_record_no_update");
      try (PreparedStatement ps =
          connection.prepareStatement(
              "insert into audit_anchor (through_seq, hash, purged_before, purged_rows, purged_at,"
                  + " purged_by) values (?, ?, ?, ?, now(), current_user)")) {
        ps.setLong(1, through);
        ps.setString(2, hash);
        ps.setObject(3, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
        ps.setLong(4, removed);
        ps.executeUpdate();
      }
      connection.commit();
      return new Result(removed, through, hash);
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }
}
