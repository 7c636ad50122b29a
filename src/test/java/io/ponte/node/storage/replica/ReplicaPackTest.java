package io.ponte.node.storage.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ponte.node.fixity.FixityJob;
import io.ponte.node.index.FixityIndex;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.index.PackIndex;
import io.ponte.node.index.ReplicaQueue;
import io.ponte.node.rebuild.RebuildIndexTool;
import io.ponte.node.retention.DeleteExpiredTool;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceBlobs;
import io.ponte.node.storage.InstanceReader;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.blob.AzureBlobStore;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.ListedBlob;
import io.ponte.node.storage.pack.SeriesPacker;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.OtherRun;
import io.ponte.testing.SecondAzurite;
import io.ponte.testing.TestDatabases;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Packs in the replica, against the real Azurite (a second container as the replica account) and
 * PostgreSQL: what the primary holds in a pack is one replica object, that pack; every instance
 * reads back identical from it (failover, fixity); the index is rebuilt from the replica's packs; a
 * crash at each step of the copy loses nothing and leaves nothing stray; a replica that is down
 * leaves the rows PENDING.
 */
@QuarkusTest
@TestProfile(ReplicaPackTest.Profile.class)
@DisplayName("replica: a packed series is one pack there too")
class ReplicaPackTest {

  static final String DATABASE = "ponte_node_replica_pack_test";

  /**
   * {@link ReplicaTest}'s, with a database of its own and a second container on the shared Azurite
   * as the replica account; packing only when the test asks.
   */
  public static class Profile extends ReplicaTest.Profile {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected String suffix() {
      return "-replica-pack";
    }

    @Override
    protected Map<String, String> extra() {
      Map<String, String> config = super.extra();
      config.put("quarkus.datasource.node.jdbc.url", TestDatabases.url(DATABASE));
      config.put(
          "ponte.node.storage.replica.connection-string",
          new SecondAzurite(10000, Path.of("unused")).connectionString());
      config.put("ponte.node.storage.replica.container", "ponte-replica-pack-" + RUN);
      config.put("ponte.node.storage.pack.interval", "1h");
      return config;
    }
  }

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "replica-pack-test", "127.0.0.1");

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject ReplicationWorker replication;

  @Inject PackReplicator packs;

  @Inject ReplicaQueue queue;

  @Inject SeriesPacker packer;

  @Inject InstanceReader reader;

  @Inject FixityJob fixity;

  @Inject RebuildIndexTool rebuildIndex;

  @Inject PackIndex packIndex;

  @Inject DeleteExpiredTool deleteExpired;

  @TempDir Path dir;

  private BlobStore realReplica;

  @BeforeEach
  void emptyIndexAndReplica() throws Exception {
    realReplica = storage.replicaStore();
    // The replica holds only what a test puts there (a rebuild from it indexes all it lists).
    for (ListedBlob b : realReplica.list()) {
      realReplica.delete(b.name());
    }
    try (Connection c = db();
        Statement st = c.createStatement()) {
      st.execute(
          "truncate replica_superseded_blob, replica_pack_journal, pack_superseded_blob,"
              + " pack_journal, instance, series, study cascade");
    }
  }

  @AfterEach
  void restore() {
    packs.crashAfter(null);
    packs.clock(Clock.systemUTC());
    storage.useReplicaStore(realReplica);
  }

  @Test
  void aSeriesPackedBeforeItWasReplicatedGoesThereAsItsPackOnly() throws Exception {
    Series s = uploadedSeries(4, 100);
    String pack = pack(s);

    replicateAll();

    assertThat(replicaObjects(s)).as("one object: the primary's pack").containsExactly(pack);
    assertThat(stat(realReplica, pack)).isEqualTo(stat(storage.blobStore(), pack));
    for (String sop : s.sops()) {
      assertThat(queue.replicated(sop)).isTrue();
      assertThat(replicaPack(sop)).isEqualTo(pack);
      assertThat(fromReplica(sop)).as("identical from the replica").isEqualTo(s.bytes(sop));
    }
  }

  @Test
  void instancesReplicatedBeforeThePrimaryPackedThemMoveIntoThePackThere() throws Exception {
    Series s = uploadedSeries(3, 200);
    replicateAll();
    assertThat(replicaObjects(s)).as("one object each, before packing").hasSize(3);
    String pack = pack(s);

    replicateAll();

    assertThat(replicaObjects(s))
        .as("their own objects deleted once the pack is in the replica")
        .containsExactly(pack);
    for (String sop : s.sops()) {
      assertThat(replicaPack(sop)).isEqualTo(pack);
      assertThat(fromReplica(sop)).isEqualTo(s.bytes(sop));
    }
    assertThat(journalRows()).isZero();
  }

  @Test
  void aPackedInstanceIsServedAndCheckedFromTheReplicaPackWhenThePrimaryLostIt() throws Exception {
    Series s = uploadedSeries(3, 300);
    String pack = pack(s);
    replicateAll();
    String sop = s.sops().get(1);
    evict(s);
    storage.blobStore().delete(pack);

    InstanceReader.Opened opened = reader.open(sop).orElseThrow();
    try (InputStream in = opened.content()) {
      assertThat(in.readAllBytes()).as("failover read of its range").isEqualTo(s.bytes(sop));
    }
    try (InputStream in = reader.openRange(row(sop).location(), 128, 1000)) {
      assertThat(in.readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(s.bytes(sop), 128, 1128));
    }

    fixity.run(Instant.now(), 1000);
    for (String each : s.sops()) {
      assertThat(outcome(each))
          .as("the primary rewritten from the replica's pack")
          .isEqualTo(FixityIndex.REPAIRED);
    }
  }

  @Test
  void aDamagedRangeOfTheReplicaPackIsRepairedAndThePackCopiedAgain() throws Exception {
    Series s = uploadedSeries(3, 400);
    String pack = pack(s);
    replicateAll();
    String sop = s.sops().get(0);
    InstanceLocation at = row(sop).location();
    damage(pack, at.packOffset() + at.size() - 100);
    assertThat(DicomTestFiles.sha256(fromReplica(sop))).isNotEqualTo(at.sha256());

    fixity.run(Instant.now(), 1000);
    assertThat(outcome(sop)).isEqualTo(FixityIndex.REPAIRED);
    assertThat(replicaPack(sop)).as("out of the pack until it is copied again").isNull();
    replicateAll();

    assertThat(replicaPack(sop)).isEqualTo(pack);
    assertThat(fromReplica(sop)).isEqualTo(s.bytes(sop));
    assertThat(replicaObjects(s)).as("the repair's object deleted again").containsExactly(pack);
  }

  @Test
  void theIndexAndPrimaryAreRebuiltFromTheReplicaPacks() throws Exception {
    Series s = uploadedSeries(3, 500);
    String pack = pack(s);
    replicateAll();
    // The primary account and the index are lost (the cache volume with them).
    storage.blobStore().delete(pack);
    for (String sop : s.sops()) {
      Files.delete(storage.layout().resolve(row(sop).cachePath()));
      assertThat(index.forget(sop)).isTrue();
    }

    ReplicaTest.Run rebuilt = ReplicaTest.run(rebuildIndex, "--from-replica");

    assertThat(rebuilt.exit()).as(rebuilt.out()).isZero();
    assertThat(stat(storage.blobStore(), pack))
        .as("the pack copied back to the primary")
        .isEqualTo(stat(realReplica, pack));
    for (String sop : s.sops()) {
      InstanceIndex.Row row = row(sop);
      assertThat(row.blobName()).isEqualTo(pack);
      assertThat(row.packOffset()).isNotNegative();
      assertThat(queue.replicated(sop)).isTrue();
      assertThat(replicaPack(sop)).isEqualTo(pack);
      try (InputStream in = reader.open(sop).orElseThrow().content()) {
        assertThat(in.readAllBytes()).isEqualTo(s.bytes(sop));
      }
    }
    assertThat(packs.replicateDue().packs()).as("nothing left to copy").isZero();
  }

  @ParameterizedTest
  @EnumSource(SeriesPacker.Step.class)
  void aCrashAtAnyStepOfTheCopyLosesNothingAndLeavesNothingStray(SeriesPacker.Step step)
      throws Exception {
    Series s = uploadedSeries(3, 600 + step.ordinal());
    replicateAll(); // each an object of its own in the replica first
    String pack = crashedCopy(s, step);

    boolean switched = step == SeriesPacker.Step.SWITCHED;
    for (String sop : s.sops()) {
      assertThat(queue.replicated(sop)).as("never less replicated than before").isTrue();
      assertThat(replicaPack(sop)).isEqualTo(switched ? pack : null);
    }
    List<String> left = replicaObjects(s);
    assertThat(left)
        .as("their own objects still there")
        .hasSize(3 + (step == SeriesPacker.Step.JOURNALED ? 0 : 1));
    assertThat(journalRows()).isEqualTo(1);

    // The next run finishes or undoes it at once (the row is this run's own, which is not copying
    // now); the instances' claims are this live run's until their lease is over.
    packs.clock(Clock.offset(Clock.systemUTC(), PackReplicator.LEASE.plusMinutes(1)));
    replication.replicateDue();

    assertThat(replicaObjects(s)).containsExactly(pack);
    assertThat(journalRows()).isZero();
    for (String sop : s.sops()) {
      assertThat(replicaPack(sop)).isEqualTo(pack);
      assertThat(fromReplica(sop)).isEqualTo(s.bytes(sop));
    }
  }

  @Test
  void aStrayCopyOfAPackNothingCountsOnIsDeleted() throws Exception {
    Series s = uploadedSeries(3, 700);
    String pack = crashedCopy(s, SeriesPacker.Step.WRITTEN);
    assertThat(replicaObjects(s)).containsExactly(pack);
    for (String sop : s.sops()) {
      assertThat(queue.replicated(sop)).as("not counted before it is marked").isFalse();
    }
    // Meanwhile the series is gone at the primary: nothing will ever count on that copy.
    for (String sop : s.sops()) {
      index.forget(sop);
    }

    // The next run deletes it at once: the row is this run's own, and it is not copying now.
    replication.replicateDue();

    assertThat(replicaObjects(s)).as("the stray copy deleted").isEmpty();
    assertThat(journalRows()).isZero();
  }

  @Test
  void anotherLiveRunsCopyIsNeverTakenHoweverOldAndADeadRunsIsFinishedAtOnce() throws Exception {
    Series s = uploadedSeries(3, 900);
    String pack = crashedCopy(s, SeriesPacker.Step.WRITTEN);

    try (OtherRun other = new OtherRun(TestDatabases.url(DATABASE))) {
      // The copy is another process's, started a day ago and still being written.
      try (Connection c = db();
          PreparedStatement st =
              c.prepareStatement(
                  "update replica_pack_journal set owner = ?,"
                      + " started_at = now() - interval '1 day'")) {
        st.setString(1, Long.toString(other.id()));
        assertThat(st.executeUpdate()).isEqualTo(1);
      }
      packs.clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(1)));

      replication.replicateDue();

      assertThat(string("select state from replica_pack_journal where blob_name = ?", pack))
          .as("a live run's copy is left to it")
          .isEqualTo("WRITING");
      assertThat(replicaObjects(s)).containsExactly(pack);
      for (String sop : s.sops()) {
        assertThat(replicaPack(sop)).isNull();
      }
    }
    // Its session ended, as a kill -9 ends it: its copy is undone by the next run, and the pack
    // copied again once the claims this run took meanwhile are over.
    packs.clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(2)));

    replication.replicateDue();

    assertThat(journalRows()).isZero();
    assertThat(replicaObjects(s)).containsExactly(pack);
    for (String sop : s.sops()) {
      assertThat(replicaPack(sop)).isEqualTo(pack);
      assertThat(fromReplica(sop)).isEqualTo(s.bytes(sop));
    }
  }

  @Test
  void retentionDeletionRemovesAPackEveryInstanceOfWhichARepairMovedOutInBothAccounts()
      throws Exception {
    Series s = uploadedSeries(2, 1000, true);
    String pack = pack(s);
    replicateAll();
    assertThat(replicaObjects(s)).containsExactly(pack);
    // A repair rewrote every instance as an object of its own at the primary (a pack is never
    // rewritten for one instance): no instance names the pack there, the replica's still serves.
    BlobStore primary = storage.blobStore();
    for (String sop : s.sops()) {
      InstanceLocation at = row(sop).location();
      primary.write(
          at.ownBlobName(),
          new java.io.ByteArrayInputStream(s.bytes(sop)),
          at.size(),
          Map.of("sha256", at.sha256()));
      assertThat(packIndex.unpack(sop, pack)).isTrue();
    }
    assertThat(objects(primary, s)).hasSize(3);

    ReplicaTest.Run run = ReplicaTest.run(deleteExpired, "--by", "ops");

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("deleted: study " + s.study());
    assertThat(objects(primary, s)).as("the primary's pack too").isEmpty();
    assertThat(replicaObjects(s)).as("the replica's pack").isEmpty();
  }

  @Test
  void aReplicaThatIsDownLeavesThePackedRowsPendingUntilItIsBack() throws Exception {
    Series s = uploadedSeries(3, 800);
    String pack = pack(s);
    storage.useReplicaStore(
        new AzureBlobStore(
            new SecondAzurite(FreePorts.next(), Path.of("unused")).connectionString(), "down"));

    ReplicationWorker.Run down = replication.replicateDue();

    assertThat(down.replicaDown()).isTrue();
    assertThat(down.replicated()).isZero();
    for (String sop : s.sops()) {
      assertThat(queue.replicated(sop)).isFalse();
      assertThat(replicaPack(sop)).isNull();
      assertThat(attempts(sop)).isEqualTo(1);
    }
    assertThat(replicaObjects(s)).isEmpty();

    storage.useReplicaStore(realReplica);
    replicateAll();
    assertThat(replicaObjects(s)).containsExactly(pack);
    assertThat(journalRows()).isZero();
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A stored series: its UIDs and each instance's bytes, in store order. */
  record Series(String study, String series, Map<String, byte[]> instances) {
    List<String> sops() {
      return new ArrayList<>(instances.keySet());
    }

    byte[] bytes(String sop) {
      return instances.get(sop);
    }
  }

  /** A series of {@code n} stored and uploaded. */
  private Series uploadedSeries(int n, long seed) throws Exception {
    return uploadedSeries(n, seed, false);
  }

  /** As {@link #uploadedSeries(int, long)}; {@code expired}: an outpatient study of 2000. */
  private Series uploadedSeries(int n, long seed, boolean expired) throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    Map<String, byte[]> instances = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String sop = DicomTestFiles.newUid();
      Path file = DicomTestFiles.ct(dir, study, series, sop, 20_000, seed * 10 + i);
      if (expired) {
        ReplicaTestSteps.expired(file);
      }
      try (InputStream in = Files.newInputStream(file)) {
        store.storePart10(SOURCE, in);
      }
      instances.put(sop, Files.readAllBytes(file));
    }
    ReplicaTestSteps.awaitUploaded(index, uploader, new ArrayList<>(instances.keySet()));
    return new Series(study, series, instances);
  }

  /** The series packed, then its copy to the replica stopped after {@code step} as by a kill -9. */
  private String crashedCopy(Series s, SeriesPacker.Step step) throws Exception {
    String pack = pack(s);
    packs.crashAfter(step);
    assertThatThrownBy(() -> replication.replicateDue())
        .isInstanceOf(SeriesPacker.SimulatedCrash.class);
    return pack;
  }

  /** Packs the series at the primary; returns its pack's name. */
  private String pack(Series s) throws Exception {
    assertThat(packer.pack(s.study(), s.series()).packs()).isEqualTo(1);
    String pack = row(s.sops().get(0)).blobName();
    assertThat(pack).endsWith(".pack");
    return pack;
  }

  private InstanceIndex.Row row(String sop) throws Exception {
    return index.find(sop).orElseThrow();
  }

  private byte[] fromReplica(String sop) throws Exception {
    try (InputStream in = InstanceBlobs.replica(realReplica, row(sop).location())) {
      return in.readAllBytes();
    }
  }

  private List<String> replicaObjects(Series s) throws Exception {
    return objects(realReplica, s);
  }

  private static List<String> objects(BlobStore store, Series s) throws Exception {
    List<String> names = new ArrayList<>();
    for (ListedBlob b : store.list()) {
      if (b.name().startsWith(s.study() + "/")) {
        names.add(b.name());
      }
    }
    return names;
  }

  private static long stat(BlobStore store, String name) throws Exception {
    return store.stat(name).size();
  }

  /** Replication runs until nothing is due in it (30 s at most). */
  private void replicateAll() throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      replication.replicateDue();
      if (queue.backlog() == 0 && dueForPacks() == 0) {
        return;
      }
      assertThat(System.currentTimeMillis())
          .as("replicated within 30 s (backlog %d)", queue.backlog())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private void evict(Series s) throws Exception {
    for (String sop : s.sops()) {
      ReplicaTestSteps.evict(storage, index, DATABASE, sop);
    }
  }

  /** Flips 16 bytes of the replica's pack at {@code at}, keeping its metadata (bit rot). */
  private void damage(String pack, long at) throws Exception {
    byte[] bytes;
    try (InputStream in = realReplica.read(pack)) {
      bytes = in.readAllBytes();
    }
    for (int i = 0; i < 16; i++) {
      bytes[(int) at + i] = (byte) ~bytes[(int) at + i];
    }
    Map<String, String> metadata = realReplica.metadata(pack);
    realReplica.write(pack, new java.io.ByteArrayInputStream(bytes), bytes.length, metadata);
  }

  private static Connection db() throws Exception {
    return TestDatabases.asOwner(DATABASE);
  }

  private static String replicaPack(String sop) throws Exception {
    return string("select replica_pack from instance where sop_instance_uid = ?", sop);
  }

  private static String outcome(String sop) throws Exception {
    return string("select fixity_outcome from instance where sop_instance_uid = ?", sop);
  }

  private static int attempts(String sop) throws Exception {
    return Integer.parseInt(
        string("select replica_attempts::text from instance where sop_instance_uid = ?", sop));
  }

  private static long journalRows() throws Exception {
    return Long.parseLong(string("select count(*)::text from replica_pack_journal", null));
  }

  private static long dueForPacks() throws Exception {
    return Long.parseLong(
        string(
            "select count(*)::text from instance"
                + " where pack_offset is not null and replica_pack is distinct from blob_name",
            null));
  }

  private static String string(String sql, String parameter) throws Exception {
    try (Connection c = db();
        PreparedStatement st = c.prepareStatement(sql)) {
      if (parameter != null) {
        st.setString(1, parameter);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
