package io.ponte.node.audit;

import java.time.Instant;

/**
 * One node audit record (a {@code node_audit_record} row): what happened ({@code event} ingest,
 * retrieve, query, delete, hold or release, over {@code protocol} DIMSE, STOW-RS, WADO-RS, QIDO-RS
 * or CLI), how it ended ({@code outcome} success, denied, invalid or error, with the HTTP status or
 * the DIMSE failure status as {@code errorCode}), who (DIMSE peer AE title and address, or the
 * token's subject, client and site), the request id, the study and how many instances moved. {@code
 * patientId} is filled from the index when null and the study is known.
 */
public record NodeAuditEvent(
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

  public static final String INGEST = "ingest";
  public static final String RETRIEVE = "retrieve";
  public static final String QUERY = "query";

  /** A study deleted after its retention ended (node/retention), by an operator's command. */
  public static final String DELETE = "delete";

  /** A legal hold set on a study, or released. */
  public static final String HOLD = "hold";

  public static final String RELEASE = "release";

  /** The protocol of what an operator did with the node's command line. */
  public static final String CLI = "CLI";

  /** The hub's outcome of an HTTP status: success, denied (401/403), invalid (4xx), error. */
  public static String outcomeOf(int status) {
    if (status < 400) {
      return "success";
    }
    if (status == 401 || status == 403) {
      return "denied";
    }
    return status < 500 ? "invalid" : "error";
  }
}
