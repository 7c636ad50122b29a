package io.ponte.hub.audit;

import java.time.Instant;
import java.util.List;

/**
 * One record a node sends about what it served or received (its {@code node_audit_record} row):
 * {@code event} ingest, retrieve or query; {@code protocol} DIMSE, STOW-RS, WADO-RS or QIDO-RS;
 * {@code outcome} in the hub's vocabulary. {@code recordId} is its id at the node, so a re-send is
 * appended once.
 */
public record NodeRecord(
    String recordId,
    Instant occurredAt,
    String event,
    String protocol,
    String outcome,
    Integer status,
    String errorCode,
    String peerAe,
    String peerAddress,
    String subject,
    String clientId,
    String callerSite,
    String requestId,
    String studyUid,
    String patientId,
    Integer instances,
    Integer failed,
    String detail) {

  /** What a node posts: its records, oldest first. */
  public record Batch(List<NodeRecord> records) {}

  /** The answer: how many were appended now, how many the hub had already. */
  public record Accepted(int appended, int duplicates) {}
}
