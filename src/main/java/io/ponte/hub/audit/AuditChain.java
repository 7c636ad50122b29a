package io.ponte.hub.audit;

import io.ponte.text.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The hash chain over audit rows: {@code hash = sha256(prev_hash + canonical(row))}. The canonical
 * form is every column but the hashes, in a fixed order, each length-prefixed so that no two rows
 * share one. Version 2 rows (V30) append their version and the columns V30 added, version 3 rows
 * (V95) the columns of a node's records as well, version 4 rows (V99) the actor's name; older rows
 * keep the form they were hashed with. Plain code without CDI: the {@code ponte audit verify}
 * command uses it without starting the application.
 */
public final class AuditChain {

  /** prev_hash of the first row. */
  public static final String GENESIS = "0".repeat(64);

  /** The version new rows are written with. */
  public static final short VERSION = 4;

  private AuditChain() {}

  public static String canonical(AuditRecordEntity r) {
    StringBuilder out = new StringBuilder(512);
    append(
        out,
        String.valueOf(r.seq),
        DateTimeFormatter.ISO_INSTANT.format(r.recordedAt),
        r.action,
        r.resourceType,
        r.outcome,
        r.errorCode,
        r.subject,
        r.username,
        r.clientId,
        r.organization,
        r.roles,
        r.site,
        r.purpose,
        r.patientIds,
        r.patientIdentifiers,
        r.regionalIds,
        r.studyUids,
        r.query,
        r.detail,
        r.clientAddress);
    if (r.chainVersion >= 2) {
      append(
          out,
          String.valueOf(r.chainVersion),
          r.status == null ? null : r.status.toString(),
          r.requestId,
          r.tokenId,
          r.tokenIssuer);
    }
    if (r.chainVersion >= 3) {
      append(
          out,
          r.sourceSite,
          r.sourceRecordId,
          r.peerAe,
          r.instanceCount == null ? null : r.instanceCount.toString(),
          r.occurredAt == null ? null : DateTimeFormatter.ISO_INSTANT.format(r.occurredAt));
    }
    if (r.chainVersion >= 4) {
      append(out, r.actorName);
    }
    return out.toString();
  }

  private static void append(StringBuilder out, String... values) {
    for (String value : values) {
      // Length-prefixed, with null distinct from empty: "a|b" + "c" can never equal "a" + "b|c".
      if (value == null) {
        out.append("-1:");
      } else {
        out.append(value.length()).append(':').append(value);
      }
      out.append(';');
    }
  }

  public static String hash(String prevHash, AuditRecordEntity row) {
    MessageDigest sha = Sha256.digest();
    sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
    sha.update(canonical(row).getBytes(StandardCharsets.UTF_8));
    return Sha256.hex(sha);
  }

  static Instant micros(Instant t) {
    // PostgreSQL keeps microseconds; hash what will be read back.
    return t.truncatedTo(ChronoUnit.MICROS);
  }
}
