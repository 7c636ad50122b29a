package io.ponte.node.fixity;

import static io.ponte.node.fixity.CopyState.ARCHIVED;
import static io.ponte.node.fixity.CopyState.DAMAGED;
import static io.ponte.node.fixity.CopyState.INTACT;
import static io.ponte.node.fixity.CopyState.MISSING;
import static io.ponte.node.fixity.CopyState.NOT_HELD;
import static io.ponte.node.fixity.CopyState.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad copy is repaired only from a copy just read intact; with none left it is unrepairable. */
class RepairDecisionTest {

  @ParameterizedTest(name = "cache {0}, blob {1} -> {2}")
  @CsvSource({
    // both fine, or only one copy expected and it is fine
    "INTACT, INTACT, NONE",
    "INTACT, NOT_HELD, NONE",
    "NOT_HELD, INTACT, NONE",
    // the cache is bad: from Blob when the blob is intact
    "DAMAGED, INTACT, RESTORE_CACHE",
    "MISSING, INTACT, RESTORE_CACHE",
    // the blob is bad: from the cache when it is intact
    "INTACT, DAMAGED, REUPLOAD_BLOB",
    "INTACT, MISSING, REUPLOAD_BLOB",
    // no intact copy left
    "DAMAGED, DAMAGED, UNREPAIRABLE",
    "MISSING, MISSING, UNREPAIRABLE",
    "DAMAGED, MISSING, UNREPAIRABLE",
    "NOT_HELD, DAMAGED, UNREPAIRABLE",
    "NOT_HELD, MISSING, UNREPAIRABLE",
    // a pending instance: its cache file was the only copy
    "DAMAGED, NOT_HELD, UNREPAIRABLE",
    "MISSING, NOT_HELD, UNREPAIRABLE",
    // the other copy could not be read now: nothing is concluded
    "DAMAGED, UNREACHABLE, DEFER",
    "MISSING, ARCHIVED, DEFER",
    "INTACT, UNREACHABLE, NONE",
    "NOT_HELD, ARCHIVED, NONE"
  })
  void decides(CopyState cache, CopyState blob, RepairDecision expected) {
    assertThat(RepairDecision.of(cache, blob)).isEqualTo(expected);
  }

  @Test
  void neverRepairsFromACopyThatWasNotReadIntact() {
    for (CopyState cache : CopyState.values()) {
      for (CopyState blob : CopyState.values()) {
        RepairDecision d = RepairDecision.of(cache, blob);
        if (d == RepairDecision.RESTORE_CACHE) {
          assertThat(blob).isEqualTo(INTACT);
        }
        if (d == RepairDecision.REUPLOAD_BLOB) {
          assertThat(cache).isEqualTo(INTACT);
        }
        if (cache.bad() || blob.bad()) {
          assertThat(d).as("cache %s blob %s", cache, blob).isNotEqualTo(RepairDecision.NONE);
        }
      }
    }
    assertThat(DAMAGED.bad()).isTrue();
    assertThat(MISSING.bad()).isTrue();
    assertThat(ARCHIVED.unchecked()).isTrue();
    assertThat(UNREACHABLE.unchecked()).isTrue();
    assertThat(NOT_HELD.bad()).isFalse();
  }
}
