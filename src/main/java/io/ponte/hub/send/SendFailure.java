package io.ponte.hub.send;

/**
 * Why a send failed, in kinds a clinician can act on; the pages word each in their language. Each
 * place that ends a send failed names its kind ({@link SendJobs}, {@link SendService}, {@link
 * StowUpload}, {@link StowTokens}), and the job keeps it beside the recorded reason (column {@code
 * send_job.failure}); the reason stays the technical detail for the clinic's IT. Jobs that failed
 * before the column existed got their kind from their reason (V102__send_job_failure.sql).
 */
public enum SendFailure {
  /** The hub restarted while the send was under way. */
  INTERRUPTED,
  /** Nothing was sent: the export could not be recorded. */
  AUDIT_UNAVAILABLE,
  /** An association broke off half-way (DIMSE). */
  CONNECTION_LOST,
  /** The PACS took the send but not every instance (or the node did not supply some). */
  NOT_ALL_STORED,
  /** The PACS (or its token endpoint) did not answer, or refused the send as a whole. */
  PACS_UNREACHABLE,
  /** Anything else, e.g. the hub itself failed while sending. */
  OTHER
}
