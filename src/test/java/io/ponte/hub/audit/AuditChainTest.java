package io.ponte.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What each chain version covers: a version 4 row (V99) hashes the actor's name, so changing it is
 * caught; rows of versions 1 to 3 keep the form they were hashed with, whatever the new column
 * holds.
 */
class AuditChainTest {

  static AuditRecordEntity row(short version) {
    AuditRecordEntity r = new AuditRecordEntity();
    r.seq = 7L;
    r.recordedAt = Instant.parse("2026-12-06T08:00:00Z");
    r.action = "read";
    r.resourceType = "ImagingStudy";
    r.outcome = "success";
    r.subject = "0b6d";
    r.username = "ana.clinic";
    r.organization = "clinic-norte";
    r.purpose = "treatment";
    r.studyUids = "1.2.3";
    r.chainVersion = version;
    r.status = 200;
    return r;
  }

  @Test
  void newRowsAreWrittenWithTheVersionThatCoversTheActorsName() {
    assertThat(AuditChain.VERSION).isEqualTo((short) 4);
  }

  @Test
  void aVersionFourRowsHashCoversTheActorsName() {
    AuditRecordEntity r = row((short) 4);
    r.actorName = "Ana Costa";
    String hash = AuditChain.hash(AuditChain.GENESIS, r);
    r.actorName = "Someone Else";
    assertThat(AuditChain.hash(AuditChain.GENESIS, r)).isNotEqualTo(hash);
    r.actorName = null;
    assertThat(AuditChain.hash(AuditChain.GENESIS, r)).isNotEqualTo(hash);
  }

  @Test
  void olderRowsKeepTheFormTheyWereHashedWith() {
    for (short version = 1; version <= 3; version++) {
      AuditRecordEntity r = row(version);
      String canonical = AuditChain.canonical(r);
      // a row read back from before V99 has no name; the new column never enters its hash
      r.actorName = "Ana Costa";
      assertThat(AuditChain.canonical(r)).isEqualTo(canonical).doesNotContain("Ana Costa");
    }
    // and version 3's form is version 4's without the name: nothing before it moved
    AuditRecordEntity v3 = row((short) 3);
    AuditRecordEntity v4 = row((short) 4);
    v4.actorName = "Ana Costa";
    assertThat(AuditChain.canonical(v4))
        .isEqualTo(AuditChain.canonical(v3).replace("1:3;", "1:4;") + "9:Ana Costa;");
  }
}
