package io.ponte.hub.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One row of the append-only, hash-chained audit table (V2__audit.sql, V30__audit_balp.sql).
 * Written by {@link AuditWriter} alone; read here for verification and AuditEvent search.
 */
@Entity
@Table(name = "audit_record")
public class AuditRecordEntity {

  @Id public Long seq;

  @Column(name = "recorded_at", nullable = false)
  public Instant recordedAt;

  @Column(nullable = false)
  public String action;

  @Column(name = "resource_type")
  public String resourceType;

  @Column(nullable = false)
  public String outcome;

  @Column(name = "error_code")
  public String errorCode;

  public String subject;
  public String username;

  @Column(name = "client_id")
  public String clientId;

  public String organization;
  public String roles;
  public String site;

  @Column(nullable = false)
  public String purpose;

  @Column(name = "patient_ids")
  public String patientIds;

  @Column(name = "patient_identifiers")
  public String patientIdentifiers;

  @Column(name = "regional_ids")
  public String regionalIds;

  @Column(name = "study_uids")
  public String studyUids;

  public String query;
  public String detail;

  @Column(name = "client_address")
  public String clientAddress;

  /** 1: the V2 columns; 2: also status, request id and the token's jti and issuer. */
  @Column(name = "chain_version", nullable = false)
  public short chainVersion;

  public Short status;

  @Column(name = "request_id")
  public String requestId;

  /** The OAuth token's {@code jti}. */
  @Column(name = "token_id")
  public String tokenId;

  /** The OAuth token's {@code iss}. */
  @Column(name = "token_issuer")
  public String tokenIssuer;

  @Column(name = "prev_hash", nullable = false)
  public String prevHash;

  @Column(nullable = false)
  public String hash;
}
