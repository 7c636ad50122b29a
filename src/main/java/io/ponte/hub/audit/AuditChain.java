package io.ponte.hub.audit;

import io.ponte.hub.HubDatabase;
import io.ponte.text.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The hash chain over audit rows: {@code hash = sha256(prev_hash + canonical(row))}. The canonical
 * form is every column but the hashes, in a fixed order, each length-prefixed so that no two rows
 * share one.
 */
@ApplicationScoped
public class AuditChain {

  /** prev_hash of the first row. */
  public static final String GENESIS = "0".repeat(64);

  private static final int BATCH = 1000;

  @Inject HubDatabase db;

  /** Outcome of {@link #verifyChain()}: intact, or the first row whose hash does not follow. */
  public record Verification(
      boolean intact, long rowsChecked, Long firstBrokenSeq, String problem) {}

  public static String canonical(AuditRecordEntity r) {
    StringBuilder out = new StringBuilder(512);
    for (String value :
        new String[] {
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
          r.clientAddress
        }) {
      // Length-prefixed, with null distinct from empty: "a|b" + "c" can never equal "a" + "b|c".
      if (value == null) {
        out.append("-1:");
      } else {
        out.append(value.length()).append(':').append(value);
      }
      out.append(';');
    }
    return out.toString();
  }

  public static String hash(String prevHash, AuditRecordEntity row) {
    MessageDigest sha = Sha256.digest();
    sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
    sha.update(canonical(row).getBytes(StandardCharsets.UTF_8));
    return Sha256.hex(sha);
  }

  /**
   * Recomputes the whole chain from the first row; reports the first row that was altered, removed
   * or inserted.
   */
  @Transactional
  public Verification verifyChain() {
    String expectedPrev = GENESIS;
    long expectedSeq = 1;
    long checked = 0;
    while (true) {
      List<AuditRecordEntity> rows =
          db.em()
              .createQuery(
                  "from AuditRecordEntity where seq >= :from order by seq", AuditRecordEntity.class)
              .setParameter("from", expectedSeq)
              .setMaxResults(BATCH)
              .getResultList();
      if (rows.isEmpty()) {
        return new Verification(true, checked, null, null);
      }
      for (AuditRecordEntity row : rows) {
        if (row.seq != expectedSeq) {
          return new Verification(
              false, checked, expectedSeq, "row " + expectedSeq + " is missing");
        }
        if (!row.prevHash.equals(expectedPrev)) {
          return new Verification(
              false, checked, row.seq, "row " + row.seq + " does not follow its predecessor");
        }
        if (!hash(row.prevHash, row).equals(row.hash)) {
          return new Verification(false, checked, row.seq, "row " + row.seq + " was altered");
        }
        expectedPrev = row.hash;
        expectedSeq++;
        checked++;
      }
      db.em().clear();
    }
  }

  static Instant micros(Instant t) {
    // PostgreSQL keeps microseconds; hash what will be read back.
    return t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }
}
