package io.ponte.node.storage.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ponte.node.fixity.FixityJob;
import io.ponte.node.index.FixityIndex;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.ReplicaQueue;
import io.ponte.node.rebuild.RebuildIndexTool;
import io.ponte.node.retention.DeleteExpiredTool;
import io.ponte.node.retention.NodeHoldTool;
import io.ponte.node.retention.UnfinishedDeletion;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceReader;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.HookedBlobStore;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.OtherRun;
import io.ponte.testing.SecondAzurite;
import io.ponte.testing.TestDatabases;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication to a second account against two real Azurites (the shared one as the primary, one
 * started here as the replica) and the real PostgreSQL: every object lands in both, verified; a
 * replica outage holds up neither ingest nor the primary upload and its backlog drains when it is
 * back; a primary blob lost with its cache file is served from the replica and repaired by fixity,
 * and a damaged replica copy is repaired from the primary; retention deletion removes both copies.
 */
@QuarkusTest
@TestProfile(ReplicaTest.Profile.class)
@DisplayName("replica: every object in a second account")
class ReplicaTest {

  static final String DATABASE = "ponte_node_replica_test";

  /** Uploads, replication and fixity only when the test asks; the replica on its own port. */
  public static class Profile extends NodeStorageTestProfile {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected String suffix() {
      return "-replica";
    }

    @Override
    protected Map<String, String> extra() {
      Map<String, String> config = new HashMap<>();
      config.put("quarkus.datasource.node.jdbc.url", TestDatabases.url(DATABASE));
      config.put("ponte.node.storage.upload-interval", "1h");
      config.put("ponte.node.fixity.enabled", "false");
      config.put("ponte.node.retention.interval", "1h");
      config.put(
          "ponte.node.storage.replica.connection-string",
          new SecondAzurite(SecondAzurite.sharedPort(), Path.of("unused")).connectionString());
      config.put("ponte.node.storage.replica.container", "ponte-replica-" + RUN);
      config.put("ponte.node.storage.replica.interval", "1h");
      config.put("ponte.node.storage.replica.backoff", "1s");
      config.put("ponte.node.storage.replica.max-backoff", "2s");
      config.put("ponte.node.storage.replica.concurrency", "2");
      // Outpatient studies (0038,0300) are kept 15 years: one from 2000 is due for deletion.
      config.put("ponte.node.retention.rules[2].attribute", "00380300");
      config.put("ponte.node.retention.rules[2].values", "OUTPATIENT");
      config.put("ponte.node.retention.rules[2].class", "OUTPATIENT");
      return config;
    }
  }

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "replica-test", "127.0.0.1");

  static SecondAzurite replica;

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject ReplicationWorker replication;

  @Inject ReplicaQueue queue;

  @Inject InstanceReader reader;

  @Inject FixityJob fixity;

  @Inject DeleteExpiredTool deleteExpired;

  @Inject NodeHoldTool hold;

  @Inject RebuildIndexTool rebuildIndex;

  @Inject @Readiness ReplicaHealthCheck health;

  @Inject MeterRegistry registry;

  @TempDir Path dir;

  @BeforeAll
  static void startReplica() throws Exception {
    int port = SecondAzurite.sharedPort();
    replica =
        new SecondAzurite(port, Path.of("target/replica-azurite-" + port).toAbsolutePath()).start();
  }

  @AfterAll
  static void stopReplica() throws Exception {
    if (replica != null) {
      replica.stop();
    }
  }

  @BeforeEach
  void replicaUp() throws Exception {
    replica.start();
  }

  @Test
  void everyObjectLandsInBothAccountsAndCountsReplicatedOnlyOnceVerified() throws Exception {
    List<String> sops = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sops.add(storeOne(10 + i));
    }
    for (String sop : sops) {
      assertThat(queue.replicated(sop)).isFalse();
      assertThat(replicaBlob(sop).exists()).isFalse();
    }
    awaitUploaded(sops);
    replicateAll(sops);

    for (String sop : sops) {
      String sha256 = row(sop).sha256();
      assertThat(queue.replicated(sop)).isTrue();
      assertThat(sha256(primaryBlob(sop))).isEqualTo(sha256);
      assertThat(sha256(replicaBlob(sop))).as("byte-identical in the replica").isEqualTo(sha256);
      assertThat(replicaBlob(sop).getProperties().getMetadata()).containsEntry("sha256", sha256);
    }
    HealthCheckResponse ok = health.call();
    assertThat(ok.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(ok.getData().orElseThrow()).containsEntry("replica", "ok");
  }

  @Test
  void aDamagedSourceIsNeverCountedReplicated() throws Exception {
    String sop = storeOne(30);
    Path file = storage.layout().resolve(row(sop).cachePath());
    flipBytesNearTheEnd(file);
    double sourceFailures = count("ponte.node.replica.failures", "reason", "source");

    replication.replicateDue();

    assertThat(queue.replicated(sop)).as("bytes differ from the index").isFalse();
    assertThat(replicaBlob(sop).exists()).as("no copy left claiming the SHA-256").isFalse();
    assertThat(count("ponte.node.replica.failures", "reason", "source") - sourceFailures)
        .isEqualTo(1);
    index.forget(sop);
  }

  @Test
  void aCopyThatOutlivedItsClaimIsNotCountedAndLeavesTheNewClaimAlone() throws Exception {
    String sop = storeOne(32);
    awaitUploaded(List.of(sop));
    try (OtherRun other = new OtherRun(TestDatabases.url(DATABASE))) {
      // Mid-copy the lease runs out and another run claims the row.
      ReplicationWorker.Run run =
          copyingWhile(
              sop,
              () ->
                  update(
                      "update instance set replica_claimed_by = ?,"
                          + " replica_next_attempt_at = now() + interval '10 minutes'"
                          + " where sop_instance_uid = ?",
                      other.id(),
                      sop));

      assertThat(queue.replicated(sop)).as("its copy proves nothing for the new claim").isFalse();
      assertThat(run.replicated()).isZero();
      assertThat(replicaClaim(sop)).as("the new claim stands").isEqualTo(other.id());
      assertThat(replicaAttempts(sop)).isZero();
      assertThat(replicaBlob(sop).exists()).as("the object the new claim writes too").isTrue();
    }
    // The other run died; its claim released, the row is replicated as any.
    update(
        "update instance set replica_claimed_by = null, replica_next_attempt_at = null"
            + " where sop_instance_uid = ?",
        sop);
    replicateAll(List.of(sop));
  }

  @Test
  void aCopyOfAnInstanceThatChangedMeanwhileIsNotCounted() throws Exception {
    String sop = storeOne(33);
    awaitUploaded(List.of(sop));
    String other = "0".repeat(64);

    // Still this run's claim, but the instance is no longer what was copied (re-sent, healed).
    copyingWhile(
        sop, () -> update("update instance set sha256 = ? where sop_instance_uid = ?", other, sop));

    assertThat(queue.replicated(sop)).as("a copy of the bytes it had").isFalse();
    assertThat(row(sop).sha256()).isEqualTo(other);
    index.forget(sop);
  }

  @Test
  void aReplicaOutageHoldsUpNothingAndItsBacklogDrainsWhenItIsBack() throws Exception {
    replicateAll(List.of()); // an empty queue to start from
    replica.stop();
    double replicaFailures = count("ponte.node.replica.failures", "reason", "replica");

    List<String> sops = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sops.add(storeOne(40 + i)); // ingest goes on
    }
    awaitUploaded(sops); // and so does the primary upload

    ReplicationWorker.Run down = replication.replicateDue();
    assertThat(down.replicaDown()).isTrue();
    assertThat(down.replicated()).isZero();
    assertThat(down.failed())
        .as("stops after the first copies in flight (concurrency 2), not one timeout per row")
        .isEqualTo(2);
    assertThat(count("ponte.node.replica.failures", "reason", "replica") - replicaFailures)
        .isEqualTo(2);
    List<Integer> attempts = new ArrayList<>();
    for (String sop : sops) {
      attempts.add(replicaAttempts(sop));
    }
    assertThat(attempts)
        .as("the row not tried keeps its attempts")
        .containsExactlyInAnyOrder(1, 1, 0);
    assertThat(registry.get("ponte.node.replica.backlog").gauge().value()).isEqualTo(3.0);
    for (String sop : sops) {
      assertThat(queue.replicated(sop)).isFalse();
    }
    HealthCheckResponse degraded = health.call();
    assertThat(degraded.getStatus())
        .as("degraded, never unready")
        .isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(degraded.getData().orElseThrow())
        .hasEntrySatisfying("replica", v -> assertThat(v.toString()).startsWith("degraded"))
        .containsEntry("backlog", 3L);
    // More arrives while it is down.
    sops.add(storeOne(43));
    awaitUploaded(sops);

    replica.start();
    replicateAll(sops);

    for (String sop : sops) {
      assertThat(sha256(replicaBlob(sop))).isEqualTo(row(sop).sha256());
    }
    assertThat(registry.get("ponte.node.replica.backlog").gauge().value()).isZero();
    assertThat(health.call().getData().orElseThrow()).containsEntry("replica", "ok");
  }

  @Test
  void aLostPrimaryBlobWithoutACacheFileIsReadFromTheReplicaAndRepairedByFixity() throws Exception {
    String sop = storeOne(50);
    awaitUploaded(List.of(sop));
    replicateAll(List.of(sop));
    InstanceIndex.Row row = row(sop);
    byte[] original = Files.readAllBytes(storage.layout().resolve(row.cachePath()));
    evict(sop);
    primaryBlob(sop).delete();
    double replicaReads = count("ponte.node.replica.reads");

    InstanceReader.Opened opened = reader.open(sop).orElseThrow();
    byte[] served;
    try (InputStream in = opened.content()) {
      served = in.readAllBytes();
    }
    assertThat(opened.fromCache()).isFalse();
    assertThat(served).as("byte-identical from the replica").isEqualTo(original);
    try (InputStream in = reader.openRange(row(sop).location(), 128, 1000)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(original, 128, 1128));
    }
    assertThat(count("ponte.node.replica.reads") - replicaReads).isEqualTo(2);

    double blobRepaired = count("ponte.node.fixity.repaired", "copy", "blob");
    fixity.run(Instant.now(), 1000);
    assertThat(outcome(sop)).isEqualTo(FixityIndex.REPAIRED);
    assertThat(count("ponte.node.fixity.repaired", "copy", "blob") - blobRepaired).isEqualTo(1);
    assertThat(sha256(primaryBlob(sop)))
        .as("primary rewritten from the replica")
        .isEqualTo(row.sha256());

    // A damaged replica copy (metadata untouched, as bit rot leaves it) is rewritten from the
    // primary.
    flipReplicaBytes(sop);
    assertThat(sha256(replicaBlob(sop))).isNotEqualTo(row.sha256());
    double replicaRepaired = count("ponte.node.fixity.repaired", "copy", "replica");
    fixity.run(Instant.now().plusSeconds(1), 1000);
    assertThat(outcome(sop)).isEqualTo(FixityIndex.REPAIRED);
    assertThat(count("ponte.node.fixity.repaired", "copy", "replica") - replicaRepaired)
        .isEqualTo(1);
    assertThat(sha256(replicaBlob(sop))).isEqualTo(row.sha256());
  }

  @Test
  void withNoCopyLeftTheReadFailsAndFixityCallsItUnrepairable() throws Exception {
    String sop = storeOne(60);
    awaitUploaded(List.of(sop));
    replicateAll(List.of(sop));
    evict(sop);
    primaryBlob(sop).delete();
    replicaBlob(sop).delete();

    assertThatThrownBy(() -> reader.open(sop).orElseThrow().content().close())
        .isInstanceOf(IOException.class);

    fixity.run(Instant.now(), 1000);
    assertThat(outcome(sop)).isEqualTo(FixityIndex.UNREPAIRABLE);
    assertThat(primaryBlob(sop).exists()).as("nothing invented").isFalse();
    index.forget(sop);
  }

  @Test
  void retentionDeletionRemovesBothCopiesAndFinishesOnceTheReplicaIsBack() throws Exception {
    String study = DicomTestFiles.newUid();
    String sop = DicomTestFiles.newUid();
    store(expiredFile(dir, study, DicomTestFiles.newUid(), sop, 7));
    awaitUploaded(List.of(sop));
    replicateAll(List.of(sop));
    assertThat(primaryBlob(sop).exists()).isTrue();
    assertThat(replicaBlob(sop).exists()).isTrue();
    BlobClient primary = primaryBlob(sop);
    BlobClient copy = replicaBlob(sop);

    // The replica down: the study is no longer served, but the run reports it unfinished.
    replica.stop();
    Run failed = run(deleteExpired, "--by", "ops");
    assertThat(failed.exit()).as(failed.out()).isEqualTo(1);
    assertThat(failed.out()).contains("FAILED to remove the objects of study " + study);
    assertThat(index.find(sop)).isEmpty();

    replica.start();
    assertThat(copy.exists()).as("left by the failed run").isTrue();
    Run rerun = run(deleteExpired, "--by", "ops");
    assertThat(rerun.exit()).as(rerun.out()).isZero();
    assertThat(primary.exists()).isFalse();
    assertThat(copy.exists()).as("the replica's copy deleted too").isFalse();
  }

  @Test
  void anUploadInFlightWhileItsStudyIsDeletedLeavesNoObject() throws Exception {
    String sop = storeExpired(8);
    BlobClient primary = primaryBlob(sop);
    // The upload has read its row and is about to write when the operator's run deletes the study.
    Run[] deletion = {null};
    uploadingAfter(sop, () -> deletion[0] = run(deleteExpired, "--by", "ops"));

    assertThat(deletion[0].exit()).as(deletion[0].out()).isZero();
    assertThat(index.find(sop)).isEmpty();
    assertThat(primary.exists())
        .as("the deleted study's object, written after its deletion")
        .isFalse();
  }

  @Test
  void aReplicaCopyInFlightWhileItsStudyIsDeletedLeavesNoCopy() throws Exception {
    String sop = storeExpired(9);
    awaitUploaded(List.of(sop));
    BlobClient copy = replicaBlob(sop);
    Run[] deletion = {null};
    copyingAfter(sop, () -> deletion[0] = run(deleteExpired, "--by", "ops"));

    assertThat(deletion[0].exit()).as(deletion[0].out()).isZero();
    assertThat(index.find(sop)).isEmpty();
    assertThat(copy.exists()).as("the deleted study's replica copy").isFalse();
  }

  @Test
  void aStaleCopyWrittenOverTheReplicaOfAnInstanceSentAgainWithOtherBytesIsCopiedAgain()
      throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    String sop = DicomTestFiles.newUid();
    Path old = expiredFile(dir, study, series, sop, 41);
    store(old);
    awaitUploaded(List.of(sop));
    Path again =
        DicomTestFiles.ct(
            Files.createDirectories(dir.resolve("again")), study, series, sop, 2_000, 42);
    String newSha = DicomTestFiles.sha256(again);
    assertThat(newSha).isNotEqualTo(DicomTestFiles.sha256(old));

    Run[] deletion = {null};
    // While the old bytes are on their way: the study is deleted, sent again with other bytes under
    // the same UIDs, and another run (another pod) copies and settles those first; the old copy
    // lands last, over them.
    copyingAfter(
        sop,
        () -> {
          deletion[0] = run(deleteExpired, "--by", "ops");
          store(again);
          replication.replicate(index.find(sop).orElseThrow().location());
          update(
              "update instance set replica_state = 'REPLICATED', replicated_at = now()"
                  + " where sop_instance_uid = ?",
              sop);
        });
    assertThat(deletion[0].exit()).as(deletion[0].out()).isZero();
    assertThat(index.find(sop).orElseThrow().sha256()).isEqualTo(newSha);

    replicateAll(List.of(sop));
    assertThat(DicomTestFiles.sha256(replicaBlob(sop).downloadContent().toBytes()))
        .as("the replica holds the bytes the index names, not the deleted ones")
        .isEqualTo(newSha);
  }

  /** Stores an instance of a new outpatient study from 2000: due for deletion. */
  private String storeExpired(int seed) throws Exception {
    String sop = DicomTestFiles.newUid();
    store(expiredFile(dir, DicomTestFiles.newUid(), DicomTestFiles.newUid(), sop, seed));
    return sop;
  }

  /** A file under {@code dir} of an instance of an outpatient study from 2000. */
  private static Path expiredFile(Path dir, String study, String series, String sop, long seed)
      throws Exception {
    Path file = DicomTestFiles.ct(dir, study, series, sop, 2_000, seed);
    ReplicaTestSteps.expired(file);
    return file;
  }

  @Test
  void aDeletionFinishedOnceTheReplicaIsBackKeepsBothCopiesOfTheStudySentAgainMeanwhile()
      throws Exception {
    String study = DicomTestFiles.newUid();
    String sop = DicomTestFiles.newUid();
    Path file = expiredFile(dir, study, DicomTestFiles.newUid(), sop, 8);
    store(file);
    awaitUploaded(List.of(sop));
    replicateAll(List.of(sop));
    replica.stop();
    assertThat(run(deleteExpired, "--by", "ops").exit()).isEqualTo(1);
    replica.start();

    // Sent again (a PACS re-forward), indexed by a node before ingest refused a study being
    // deleted, stored in both accounts under the same names, and put on legal hold.
    try (Connection c = db()) {
      UnfinishedDeletion.hiddenWhile(
          c,
          study,
          () -> {
            store(file);
            awaitUploaded(List.of(sop));
            replicateAll(List.of(sop));
          });
    }
    assertThat(run(hold, "--study", study, "--reason", "court order", "--by", "dpo").exit())
        .isZero();

    Run rerun = run(deleteExpired, "--by", "ops");
    assertThat(rerun.exit()).as(rerun.out()).isZero();
    assertThat(rerun.out()).contains("finishing the interrupted deletion of study " + study);
    assertThat(sha256(primaryBlob(sop))).isEqualTo(row(sop).sha256());
    assertThat(sha256(replicaBlob(sop))).as("the replica's copy kept").isEqualTo(row(sop).sha256());
  }

  @Test
  void aLostIndexAndPrimaryAreRebuiltFromTheReplica() throws Exception {
    List<String> sops = List.of(storeOne(70), storeOne(71));
    awaitUploaded(sops);
    replicateAll(sops);
    Map<String, byte[]> original = new HashMap<>();
    for (String sop : sops) {
      original.put(sop, Files.readAllBytes(storage.layout().resolve(row(sop).cachePath())));
    }
    // The primary account and the index are lost (the cache volume with them).
    for (String sop : sops) {
      primaryBlob(sop).delete();
      Files.delete(storage.layout().resolve(row(sop).cachePath()));
      assertThat(index.forget(sop)).isTrue();
    }

    Run rebuilt = run(rebuildIndex, "--from-replica");

    assertThat(rebuilt.exit()).as(rebuilt.out()).isZero();
    assertThat(rebuilt.out()).contains("from the replica's container");
    for (String sop : sops) {
      assertThat(row(sop).sha256()).isEqualTo(DicomTestFiles.sha256(original.get(sop)));
      assertThat(queue.replicated(sop)).isTrue();
      assertThat(sha256(primaryBlob(sop)))
          .as("copied back to the primary")
          .isEqualTo(row(sop).sha256());
      try (InputStream in = reader.open(sop).orElseThrow().content()) {
        assertThat(in.readAllBytes()).isEqualTo(original.get(sop));
      }
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private String storeOne(long seed) throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file =
        DicomTestFiles.ct(dir, DicomTestFiles.newUid(), DicomTestFiles.newUid(), sop, 20_000, seed);
    store(file);
    return sop;
  }

  private void store(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      store.storePart10(SOURCE, in);
    }
  }

  private InstanceIndex.Row row(String sop) throws Exception {
    return index.find(sop).orElseThrow();
  }

  private void awaitUploaded(List<String> sops) throws Exception {
    ReplicaTestSteps.awaitUploaded(index, uploader, sops);
  }

  /** Replication runs until {@code sops} are replicated and the queue is empty (30 s at most). */
  private void replicateAll(List<String> sops) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      replication.replicateDue();
      boolean all = queue.backlog() == 0;
      for (String sop : sops) {
        all &= queue.replicated(sop);
      }
      if (all) {
        return;
      }
      assertThat(System.currentTimeMillis())
          .as("replicated within 30 s (backlog %d)", queue.backlog())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** One replication run; {@code step} runs right after the copy of {@code sop} is written. */
  private ReplicationWorker.Run copyingWhile(String sop, HookedBlobStore.Step step)
      throws Exception {
    BlobStore real = storage.replicaStore();
    return replicating(new HookedBlobStore(real, objectOf(sop), step), real);
  }

  /**
   * One replication run; {@code step} runs right before the copy of {@code sop} is written, which
   * lands after what the step did: a copy that was on its way meanwhile.
   */
  private void copyingAfter(String sop, HookedBlobStore.Step step) throws Exception {
    BlobStore real = storage.replicaStore();
    replicating(HookedBlobStore.before(real, objectOf(sop), step), real);
  }

  private ReplicationWorker.Run replicating(HookedBlobStore hooked, BlobStore real)
      throws Exception {
    storage.useReplicaStore(hooked);
    try {
      ReplicationWorker.Run run = replication.replicateDue();
      assertRan(hooked);
      return run;
    } finally {
      storage.useReplicaStore(real);
    }
  }

  /** One upload run; {@code step} runs right before {@code sop}'s object is written. */
  private void uploadingAfter(String sop, HookedBlobStore.Step step) throws Exception {
    BlobStore real = storage.blobStore();
    HookedBlobStore hooked = HookedBlobStore.before(real, objectOf(sop), step);
    storage.useBlobStore(hooked);
    try {
      uploader.uploadDue();
      assertRan(hooked);
    } finally {
      storage.useBlobStore(real);
    }
  }

  private static java.util.function.Predicate<String> objectOf(String sop) {
    return name -> name.endsWith(sop + ".dcm");
  }

  private static void assertRan(HookedBlobStore hooked) {
    assertThat(hooked.ran()).as("the object was written").isTrue();
    assertThat(hooked.failure()).isNull();
  }

  private static void update(String sql, Object... parameters) throws Exception {
    try (Connection c = db();
        PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        st.setObject(i + 1, parameters[i]);
      }
      st.executeUpdate();
    }
  }

  private void evict(String sop) throws Exception {
    ReplicaTestSteps.evict(storage, index, DATABASE, sop);
  }

  private BlobClient primaryBlob(String sop) throws Exception {
    return new BlobServiceClientBuilder()
        .connectionString(storage.config().blobConnectionString())
        .buildClient()
        .getBlobContainerClient(storage.containerName())
        .getBlobClient(blobName(sop));
  }

  private BlobClient replicaBlob(String sop) throws Exception {
    return new BlobServiceClientBuilder()
        .connectionString(replica.connectionString())
        .buildClient()
        .getBlobContainerClient(storage.replicaContainerName())
        .getBlobClient(blobName(sop));
  }

  private String blobName(String sop) throws Exception {
    return row(sop).blobName();
  }

  private static String sha256(BlobClient blob) throws Exception {
    try (InputStream in = blob.openInputStream()) {
      return DicomTestFiles.sha256(in);
    }
  }

  private static void flipBytesNearTheEnd(Path file) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(f.length() - 100);
      byte[] junk = new byte[16];
      f.readFully(junk);
      for (int i = 0; i < junk.length; i++) {
        junk[i] = (byte) ~junk[i];
      }
      f.seek(f.length() - 100);
      f.write(junk);
    }
  }

  private void flipReplicaBytes(String sop) throws Exception {
    BlobClient blob = replicaBlob(sop);
    byte[] bytes = blob.downloadContent().toBytes();
    for (int i = bytes.length - 100; i < bytes.length - 84; i++) {
      bytes[i] = (byte) ~bytes[i];
    }
    Map<String, String> metadata = blob.getProperties().getMetadata();
    blob.uploadWithResponse(
        new BlobParallelUploadOptions(BinaryData.fromBytes(bytes)).setMetadata(metadata),
        null,
        null);
  }

  private double count(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  record Run(int exit, String out) {}

  static Run run(io.ponte.cli.Tool tool, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      exit = tool.run(List.of(args), out);
    }
    return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
  }

  private static Connection db() throws Exception {
    return TestDatabases.asOwner(DATABASE);
  }

  private static int replicaAttempts(String sop) throws Exception {
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "select replica_attempts from instance where sop_instance_uid = ?")) {
      st.setString(1, sop);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static Long replicaClaim(String sop) throws Exception {
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "select replica_claimed_by from instance where sop_instance_uid = ?")) {
      st.setString(1, sop);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getObject(1, Long.class);
      }
    }
  }

  private static String outcome(String sop) throws Exception {
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement("select fixity_outcome from instance where sop_instance_uid = ?")) {
      st.setString(1, sop);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
