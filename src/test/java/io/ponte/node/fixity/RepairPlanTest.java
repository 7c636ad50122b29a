package io.ponte.node.fixity;

import static io.ponte.node.fixity.CopyState.INTACT;
import static io.ponte.node.fixity.CopyState.NOT_HELD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Three copies: each bad one is rewritten from a copy just read intact (the cheapest first), and
 * without a replica the plan is the two-copy {@link RepairDecision}.
 */
class RepairPlanTest {

  @ParameterizedTest(
      name = "cache {0}, blob {1}, replica {2} -> cache<-{3} blob<-{4} replica<-{5}: {6}")
  @CsvSource(
      nullValues = "-",
      value = {
        // all fine, or the replica not written yet
        "INTACT, INTACT, INTACT, -, -, -, NONE",
        "NOT_HELD, INTACT, NOT_HELD, -, -, -, NONE",
        // the primary lost with the cache file evicted: from the replica
        "NOT_HELD, MISSING, INTACT, -, REPLICA, -, REUPLOAD_BLOB",
        "NOT_HELD, DAMAGED, INTACT, -, REPLICA, -, REUPLOAD_BLOB",
        // the primary lost, the cache file intact: the local copy is cheaper
        "INTACT, MISSING, INTACT, -, CACHE, -, REUPLOAD_BLOB",
        // cache and primary both bad: both from the replica
        "DAMAGED, MISSING, INTACT, REPLICA, REPLICA, -, RESTORE_CACHE",
        // the cache bad: from the primary when intact, else the replica
        "MISSING, INTACT, INTACT, BLOB, -, -, RESTORE_CACHE",
        "DAMAGED, UNREACHABLE, INTACT, REPLICA, -, -, RESTORE_CACHE",
        "DAMAGED, ARCHIVED, INTACT, REPLICA, -, -, RESTORE_CACHE",
        // a bad replica copy: from the cache, else the primary
        "INTACT, INTACT, DAMAGED, -, -, CACHE, REWRITE_REPLICA",
        "NOT_HELD, INTACT, MISSING, -, -, BLOB, REWRITE_REPLICA",
        "NOT_HELD, INTACT, DAMAGED, -, -, BLOB, REWRITE_REPLICA",
        // the replica unreachable: the primary copies decide
        "DAMAGED, INTACT, UNREACHABLE, BLOB, -, -, RESTORE_CACHE",
        "INTACT, INTACT, UNREACHABLE, -, -, -, NONE",
        // nothing intact: unrepairable, unless an unread copy may be the intact one
        "NOT_HELD, MISSING, MISSING, -, -, -, UNREPAIRABLE",
        "DAMAGED, DAMAGED, DAMAGED, -, -, -, UNREPAIRABLE",
        "NOT_HELD, MISSING, UNREACHABLE, -, -, -, DEFER",
        "NOT_HELD, ARCHIVED, DAMAGED, -, -, -, DEFER",
        // a pending instance whose only copy is bad, the replica not written yet
        "DAMAGED, NOT_HELD, NOT_HELD, -, -, -, UNREPAIRABLE"
      })
  void plans(
      CopyState cache,
      CopyState blob,
      CopyState replica,
      RepairPlan.Copy cacheFrom,
      RepairPlan.Copy blobFrom,
      RepairPlan.Copy replicaFrom,
      RepairDecision verdict) {
    RepairPlan plan = RepairPlan.of(cache, blob, replica);
    assertThat(plan.cacheFrom()).isEqualTo(Optional.ofNullable(cacheFrom));
    assertThat(plan.blobFrom()).isEqualTo(Optional.ofNullable(blobFrom));
    assertThat(plan.replicaFrom()).isEqualTo(Optional.ofNullable(replicaFrom));
    assertThat(plan.verdict()).isEqualTo(verdict);
  }

  @Test
  void everySourceWasJustReadIntactAndIsNeverTheBadCopyItself() {
    for (CopyState cache : CopyState.values()) {
      for (CopyState blob : CopyState.values()) {
        for (CopyState replica : CopyState.values()) {
          RepairPlan plan = RepairPlan.of(cache, blob, replica);
          String what = cache + "/" + blob + "/" + replica;
          plan.cacheFrom()
              .ifPresent(s -> assertThat(s).as(what).isNotEqualTo(RepairPlan.Copy.CACHE));
          plan.blobFrom().ifPresent(s -> assertThat(s).as(what).isNotEqualTo(RepairPlan.Copy.BLOB));
          plan.replicaFrom()
              .ifPresent(s -> assertThat(s).as(what).isNotEqualTo(RepairPlan.Copy.REPLICA));
          for (Optional<RepairPlan.Copy> source :
              java.util.List.of(plan.cacheFrom(), plan.blobFrom(), plan.replicaFrom())) {
            source.ifPresent(
                s -> assertThat(stateOf(s, cache, blob, replica)).as(what).isEqualTo(INTACT));
          }
          // every bad copy is either repaired or the instance is not fine
          if (cache.bad() || blob.bad() || replica.bad()) {
            assertThat(plan.verdict()).as(what).isNotEqualTo(RepairDecision.NONE);
          }
          if (plan.repairs()) {
            assertThat(cache.bad() == plan.cacheFrom().isPresent()).as(what).isTrue();
            assertThat(blob.bad() == plan.blobFrom().isPresent()).as(what).isTrue();
            assertThat(replica.bad() == plan.replicaFrom().isPresent()).as(what).isTrue();
          }
        }
      }
    }
  }

  @Test
  void withoutAReplicaItIsTheTwoCopyDecision() {
    for (CopyState cache : CopyState.values()) {
      for (CopyState blob : CopyState.values()) {
        assertThat(RepairPlan.of(cache, blob, NOT_HELD).verdict())
            .isEqualTo(RepairDecision.of(cache, blob));
        assertThat(RepairPlan.of(cache, blob, NOT_HELD).replicaFrom()).isEmpty();
      }
    }
  }

  private static CopyState stateOf(
      RepairPlan.Copy copy, CopyState cache, CopyState blob, CopyState replica) {
    return switch (copy) {
      case CACHE -> cache;
      case BLOB -> blob;
      case REPLICA -> replica;
    };
  }
}
