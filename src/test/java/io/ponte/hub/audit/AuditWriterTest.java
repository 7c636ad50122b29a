package io.ponte.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.HubTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Group commit: concurrent appends share commits, and two writers (two hubs) never fork the chain.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class AuditWriterTest {

  @Inject AuditWriter writer;

  @Inject AuditConfig config;

  @Inject
  @io.quarkus.agroal.DataSource("hub")
  jakarta.enterprise.inject.Instance<io.agroal.api.AgroalDataSource> dataSource;

  @Inject AuditVerification verification;

  static AuditRecordEntity row(String who) {
    AuditRecordEntity r = new AuditRecordEntity();
    r.action = "read";
    r.outcome = "success";
    r.purpose = "treatment";
    r.username = who;
    r.status = 200;
    return r;
  }

  @Test
  void twoWritersAppendingConcurrentlyKeepOneUnbrokenChain() throws Exception {
    // A second writer on the same database stands for a second hub replica.
    AuditWriter other = new AuditWriter(dataSource.get(), config);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Long>> seqs = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        AuditWriter w = i % 2 == 0 ? writer : other;
        String who = "writer-test-" + i;
        seqs.add(pool.submit(() -> w.append(row(who))));
      }
      Set<Long> distinct = new HashSet<>();
      for (Future<Long> f : seqs) {
        distinct.add(f.get());
      }
      assertThat(distinct).hasSize(400);
    } finally {
      pool.shutdown();
      other.stop();
    }
    ChainVerifier.Verification v = verification.verifyAll();
    assertThat(v.problem()).isNull();
    assertThat(v.intact()).isTrue();
  }
}
