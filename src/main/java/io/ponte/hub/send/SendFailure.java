package io.ponte.hub.send;

import java.util.regex.Pattern;

/**
 * Why a send failed, in kinds a clinician can act on; the pages word each in their language. Told
 * from the reason the job recorded ({@link SendJobs}, {@link StowUpload}, {@link StowTokens}), so a
 * job needs no column of its own for it and older jobs are read alike; the recorded text stays the
 * technical detail for the clinic's IT.
 */
public enum SendFailure {
  /** The hub restarted while the send was under way. */
  INTERRUPTED("interrupted by a restart of the hub"),
  /** Nothing was sent: the export could not be recorded. */
  AUDIT_UNAVAILABLE("the audit trail is unavailable"),
  /** An association broke off half-way (DIMSE). */
  CONNECTION_LOST("the connection to the PACS .* broke off"),
  /** The PACS took the send but not every instance (or the node did not supply some). */
  NOT_ALL_STORED(
      "\\d+ of \\d+ instances were not stored|the STOW-RS endpoint \\S+ answered (202|409): \\d+"
          + " refused$"),
  /** The PACS (or its token endpoint) did not answer, or refused the send as a whole. */
  PACS_UNREACHABLE(
      "the PACS .+ at \\S+ did not accept an association|the STOW-RS endpoint |the token"
          + " endpoint "),
  /** Anything else, e.g. the hub itself failed while sending. */
  OTHER("");

  private final Pattern lead;

  SendFailure(String lead) {
    this.lead = Pattern.compile("^(?:" + lead + ")");
  }

  /** The kind of a recorded reason; null when there is none (the send did not fail). */
  public static SendFailure of(String reason) {
    if (reason == null || reason.isBlank()) {
      return null;
    }
    for (SendFailure kind : values()) {
      if (kind.lead.matcher(reason).find()) {
        return kind;
      }
    }
    return OTHER;
  }
}
