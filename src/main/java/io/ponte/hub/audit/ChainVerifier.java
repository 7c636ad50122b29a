package io.ponte.hub.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Walks the audit chain over plain JDBC (a server-side cursor, rows streamed, nothing held), for
 * {@code ponte audit verify} and {@code GET /api/audit/verify} alike. With a period, it checks the
 * rows recorded in it, and that the first of them follows its predecessor. What a chain cannot show
 * on its own: rows cut off its end (see docs/security.md, "Audit"). After a purge the walk starts
 * at the latest anchor ({@code audit_anchor}): the first kept row must follow the anchor's hash.
 */
public final class ChainVerifier {

  private static final int FETCH = 10_000;

  /** Intact, or the first row whose hash does not follow and why. */
  public record Verification(
      boolean intact, long rowsChecked, Long firstBrokenSeq, String problem) {}

  private final Connection connection;

  public ChainVerifier(Connection connection) {
    this.connection = connection;
  }

  /**
   * @param from first instant to check (inclusive), or null for the start of the chain
   * @param to last instant to check (inclusive), or null for its end
   */
  public Verification verify(Instant from, Instant to) throws SQLException {
    if (!connection.getAutoCommit()) {
      // Inside the caller's transaction (e.g. a test that tampers and rolls back): walk in it.
      return walk(from, to);
    }
    // A cursor streams only inside a transaction; read-only, so nothing can be written through it.
    connection.setAutoCommit(false);
    connection.setReadOnly(true);
    try {
      return walk(from, to);
    } finally {
      connection.rollback();
      connection.setReadOnly(false);
      connection.setAutoCommit(true);
    }
  }

  private Verification walk(Instant from, Instant to) throws SQLException {
    // After a purge (ponte audit purge) the chain starts after its latest anchor, from its hash.
    long anchorSeq = 0;
    String anchorHash = AuditChain.GENESIS;
    try (PreparedStatement ps =
            connection.prepareStatement(
                "select through_seq, hash from audit_anchor order by through_seq desc limit 1");
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        anchorSeq = rs.getLong(1);
        anchorHash = rs.getString(2);
      }
    }
    long firstSeq = anchorSeq + 1;
    long lastSeq = Long.MAX_VALUE;
    if (from != null) {
      Long first = seqAt("select min(seq) from audit_record where recorded_at >= ?", from);
      if (first == null) {
        return new Verification(true, 0, null, null);
      }
      firstSeq = Math.max(first, anchorSeq + 1);
    }
    if (to != null) {
      Long last = seqAt("select max(seq) from audit_record where recorded_at <= ?", to);
      if (last == null) {
        return new Verification(true, 0, null, null);
      }
      lastSeq = last;
    }
    String expectedPrev = anchorHash;
    if (firstSeq > anchorSeq + 1) {
      expectedPrev = hashOf(firstSeq - 1);
      if (expectedPrev == null) {
        return new Verification(false, 0, firstSeq - 1, "row " + (firstSeq - 1) + " is missing");
      }
    }
    long expectedSeq = firstSeq;
    long checked = 0;
    try (PreparedStatement ps =
        connection.prepareStatement(
            "select "
                + AuditRows.COLUMNS
                + " from audit_record where seq >= ? and seq <= ? order by seq")) {
      ps.setFetchSize(FETCH);
      ps.setLong(1, firstSeq);
      ps.setLong(2, lastSeq);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          AuditRecordEntity row = AuditRows.read(rs);
          if (row.seq != expectedSeq) {
            return new Verification(
                false, checked, expectedSeq, "row " + expectedSeq + " is missing");
          }
          if (!row.prevHash.equals(expectedPrev)) {
            return new Verification(
                false, checked, row.seq, "row " + row.seq + " does not follow its predecessor");
          }
          if (!AuditChain.hash(row.prevHash, row).equals(row.hash)) {
            return new Verification(false, checked, row.seq, "row " + row.seq + " was altered");
          }
          expectedPrev = row.hash;
          expectedSeq++;
          checked++;
        }
      }
    }
    return new Verification(true, checked, null, null);
  }

  private Long seqAt(String sql, Instant at) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long seq = rs.getLong(1);
        return rs.wasNull() ? null : seq;
      }
    }
  }

  private String hashOf(long seq) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("select hash from audit_record where seq = ?")) {
      ps.setLong(1, seq);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
