package io.ponte.hub.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * audit_record rows over plain JDBC, for the two hot paths that do not go through Hibernate: the
 * group-commit writer and the chain walk.
 */
final class AuditRows {

  static final String COLUMNS =
      "seq, recorded_at, action, resource_type, outcome, error_code, subject, username, client_id,"
          + " organization, roles, site, purpose, patient_ids, patient_identifiers, regional_ids,"
          + " study_uids, query, detail, client_address, chain_version, status, request_id,"
          + " token_id, token_issuer, prev_hash, hash, source_site, source_record_id, peer_ae,"
          + " instance_count, occurred_at, actor_name";

  static final String INSERT =
      "insert into audit_record ("
          + COLUMNS
          + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?, ?, ?, ?, ?, ?, ?)";

  private AuditRows() {}

  static AuditRecordEntity read(ResultSet rs) throws SQLException {
    AuditRecordEntity r = new AuditRecordEntity();
    r.seq = rs.getLong(1);
    r.recordedAt = rs.getObject(2, OffsetDateTime.class).toInstant();
    r.action = rs.getString(3);
    r.resourceType = rs.getString(4);
    r.outcome = rs.getString(5);
    r.errorCode = rs.getString(6);
    r.subject = rs.getString(7);
    r.username = rs.getString(8);
    r.clientId = rs.getString(9);
    r.organization = rs.getString(10);
    r.roles = rs.getString(11);
    r.site = rs.getString(12);
    r.purpose = rs.getString(13);
    r.patientIds = rs.getString(14);
    r.patientIdentifiers = rs.getString(15);
    r.regionalIds = rs.getString(16);
    r.studyUids = rs.getString(17);
    r.query = rs.getString(18);
    r.detail = rs.getString(19);
    r.clientAddress = rs.getString(20);
    r.chainVersion = rs.getShort(21);
    short status = rs.getShort(22);
    r.status = rs.wasNull() ? null : status;
    r.requestId = rs.getString(23);
    r.tokenId = rs.getString(24);
    r.tokenIssuer = rs.getString(25);
    r.prevHash = rs.getString(26);
    r.hash = rs.getString(27);
    r.sourceSite = rs.getString(28);
    r.sourceRecordId = rs.getString(29);
    r.peerAe = rs.getString(30);
    int count = rs.getInt(31);
    r.instanceCount = rs.wasNull() ? null : count;
    OffsetDateTime occurred = rs.getObject(32, OffsetDateTime.class);
    r.occurredAt = occurred == null ? null : occurred.toInstant();
    r.actorName = rs.getString(33);
    return r;
  }

  static void bind(PreparedStatement ps, AuditRecordEntity r) throws SQLException {
    ps.setLong(1, r.seq);
    ps.setObject(2, OffsetDateTime.ofInstant(r.recordedAt, ZoneOffset.UTC));
    ps.setString(3, r.action);
    ps.setString(4, r.resourceType);
    ps.setString(5, r.outcome);
    ps.setString(6, r.errorCode);
    ps.setString(7, r.subject);
    ps.setString(8, r.username);
    ps.setString(9, r.clientId);
    ps.setString(10, r.organization);
    ps.setString(11, r.roles);
    ps.setString(12, r.site);
    ps.setString(13, r.purpose);
    ps.setString(14, r.patientIds);
    ps.setString(15, r.patientIdentifiers);
    ps.setString(16, r.regionalIds);
    ps.setString(17, r.studyUids);
    ps.setString(18, r.query);
    ps.setString(19, r.detail);
    ps.setString(20, r.clientAddress);
    ps.setShort(21, r.chainVersion);
    if (r.status == null) {
      ps.setNull(22, Types.SMALLINT);
    } else {
      ps.setShort(22, r.status);
    }
    ps.setString(23, r.requestId);
    ps.setString(24, r.tokenId);
    ps.setString(25, r.tokenIssuer);
    ps.setString(26, r.prevHash);
    ps.setString(27, r.hash);
    ps.setString(28, r.sourceSite);
    ps.setString(29, r.sourceRecordId);
    ps.setString(30, r.peerAe);
    if (r.instanceCount == null) {
      ps.setNull(31, Types.INTEGER);
    } else {
      ps.setInt(31, r.instanceCount);
    }
    if (r.occurredAt == null) {
      ps.setNull(32, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(32, OffsetDateTime.ofInstant(r.occurredAt, ZoneOffset.UTC));
    }
    ps.setString(33, r.actorName);
  }
}
