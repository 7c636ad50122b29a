package io.ponte.node.audit;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The audit records' outbox (db/node V50) in plain JDBC, as the publication outbox: due entries are
 * claimed with SKIP LOCKED and a lease, delivered ones removed (the record itself stays), failed
 * ones retried later.
 */
@ApplicationScoped
public class NodeAuditOutbox {

  /** A claimed batch: the records as the hub takes them, and the most attempts any has had. */
  public record Claimed(List<UUID> ids, List<Map<String, Object>> records, int attempts) {}

  public Claimed claimDue(Connection c, Instant now, Instant leaseUntil, int limit)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
            with due as (
                select record_id from node_audit_outbox where next_attempt_at <= ?
                order by next_attempt_at limit ? for update skip locked),
            claimed as (
                update node_audit_outbox o set next_attempt_at = ? from due
                where o.record_id = due.record_id returning o.record_id, o.attempts)
            select r.record_id, r.occurred_at, r.event, r.protocol, r.outcome, r.status,
                r.error_code, r.peer_ae, r.peer_address, r.subject, r.client_id, r.caller_site,
                r.request_id, r.study_uid, r.patient_id, r.instances, r.failed, r.detail,
                claimed.attempts
            from claimed join node_audit_record r on r.record_id = claimed.record_id
            order by r.occurred_at
            """)) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setInt(2, limit);
      st.setTimestamp(3, Timestamp.from(leaseUntil));
      List<UUID> ids = new ArrayList<>();
      List<Map<String, Object>> records = new ArrayList<>();
      int attempts = 0;
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          UUID id = rs.getObject(1, UUID.class);
          ids.add(id);
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("recordId", id.toString());
          r.put("occurredAt", rs.getTimestamp(2).toInstant().toString());
          r.put("event", rs.getString(3));
          r.put("protocol", rs.getString(4));
          r.put("outcome", rs.getString(5));
          r.put("status", rs.getObject(6));
          r.put("errorCode", rs.getString(7));
          r.put("peerAe", rs.getString(8));
          r.put("peerAddress", rs.getString(9));
          r.put("subject", rs.getString(10));
          r.put("clientId", rs.getString(11));
          r.put("callerSite", rs.getString(12));
          r.put("requestId", rs.getString(13));
          r.put("studyUid", rs.getString(14));
          r.put("patientId", rs.getString(15));
          r.put("instances", rs.getObject(16));
          r.put("failed", rs.getObject(17));
          r.put("detail", rs.getString(18));
          records.add(r);
          attempts = Math.max(attempts, rs.getInt(19));
        }
      }
      return new Claimed(ids, records, attempts);
    }
  }

  /** The hub has them: their outbox entries go (the records stay at the node). */
  public void markSent(Connection c, List<UUID> ids) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("delete from node_audit_outbox where record_id = any(?)")) {
      st.setArray(1, uuids(c, ids));
      st.executeUpdate();
    }
  }

  public void markFailed(
      Connection c, List<UUID> ids, Integer status, String error, Instant next, Instant now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            """
            update node_audit_outbox set attempts = attempts + 1, next_attempt_at = ?,
                last_status = ?, last_error = ?, last_attempt_at = ?
            where record_id = any(?)
            """)) {
      st.setTimestamp(1, Timestamp.from(next));
      if (status == null) {
        st.setNull(2, Types.INTEGER);
      } else {
        st.setInt(2, status);
      }
      st.setString(3, NodeAuditLog.cut(error, 1000));
      st.setTimestamp(4, Timestamp.from(now));
      st.setArray(5, uuids(c, ids));
      st.executeUpdate();
    }
  }

  public boolean hasDue(Connection c, Instant now) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("select 1 from node_audit_outbox where next_attempt_at <= ? limit 1")) {
      st.setTimestamp(1, Timestamp.from(now));
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static Array uuids(Connection c, List<UUID> ids) throws SQLException {
    return c.createArrayOf("uuid", ids.toArray());
  }
}
