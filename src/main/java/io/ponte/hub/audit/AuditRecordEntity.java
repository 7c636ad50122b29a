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

  /**
   * The actor's name from their token when they acted (version 4, V99); null for older rows and for
   * clients without one: readers fall back to {@code username}.
   */
  @Column(name = "actor_name")
  public String actorName;

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

  /**
   * 1: the V2 columns; 2: also status, request id and the token's jti and issuer; 3: also the
   * source node, its record id, the peer AE title, the instance count and when it occurred; 4: also
   * the actor's name.
   */
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

  /** The node a record came from (version 3); null for the hub's own records. */
  @Column(name = "source_site")
  public String sourceSite;

  /** The record's id at that node: a re-send of it is not appended twice. */
  @Column(name = "source_record_id")
  public String sourceRecordId;

  /** The DICOM peer's calling AE title (a node's DIMSE ingest). */
  @Column(name = "peer_ae")
  public String peerAe;

  /** Instances moved (a node's ingest or retrieve). */
  @Column(name = "instance_count")
  public Integer instanceCount;

  /** When it happened at the node; {@code recordedAt} is when the hub appended it. */
  @Column(name = "occurred_at")
  public Instant occurredAt;

  @Column(name = "prev_hash", nullable = false)
  public String prevHash;

  @Column(nullable = false)
  public String hash;
}
