package io.ponte.node.storage.pack;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import io.micrometer.core.instrument.MeterRegistry;
import io.ponte.node.dicomweb.MultipartParts;
import io.ponte.node.fixity.FixityJob;
import io.ponte.node.index.ClaimOwner;
import io.ponte.node.index.DeadClaims;
import io.ponte.node.index.FixityIndex;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.PackIndex;
import io.ponte.node.index.UploadQueue;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceReader;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.WholeIndexTestProfile;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.HookedBlobStore;
import io.ponte.testing.OtherRun;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packing against the real PostgreSQL and Azurite: a quiet series becomes one pack (its single
 * blobs deleted, the object count down), every instance retrievable byte for byte, whole and as a
 * frame, from its range of the pack; a pack made from a cache file changed since it was indexed is
 * refused as it streams and nothing switches (nor is anything committed, at ingest); a run stopped
 * after each of its steps (as a kill -9 would leave it) leaves every instance readable, and the
 * next run finishes with no stray object; fixity re-reads packed instances and repairs a damaged
 * one out of its pack.
 */
@QuarkusTest
@TestProfile(WholeIndexTestProfile.class)
@DisplayName("packing: a series into one blob, crash-safe")
class PackingJobTest {

  static final String DATABASE = WholeIndexTestProfile.DATABASE;

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "pack-test", "127.0.0.1");

  /** Past every series' quiet period. */
  private static final Instant LATER = Instant.now().plus(Duration.ofDays(30));

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject InstanceReader reader;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject PackingJob job;

  @Inject SeriesPacker packer;

  @Inject IngestPacker ingest;

  @Inject DeadClaims deadClaims;

  @Inject UploadQueue uploads;

  @Inject PackIndex packIndex;

  @Inject ClaimOwner owner;

  @Inject io.ponte.node.storage.CacheEvictor evictor;

  @Inject FixityJob fixity;

  @Inject MeterRegistry registry;

  @Inject io.ponte.node.storage.TierPolicyJob tiers;

  @Inject io.ponte.node.retention.ExpiredStudyDeletion deletion;

  @TempDir Path dir;

  @BeforeEach
  void emptyIndex() throws Exception {
    for (List<InstanceIndex.Row> page = index.page(null, 500, false);
        !page.isEmpty();
        page = index.page(null, 500, false)) {
      for (InstanceIndex.Row row : page) {
        index.forget(row.sopInstanceUid());
      }
    }
    try (Connection c = db();
        Statement st = c.createStatement()) {
      st.execute("delete from pack_superseded_blob");
      st.execute("delete from pack_journal");
    }
  }

  @AfterEach
  void noCrashLeftArmed() {
    packer.crashAfter(null);
  }

  @Test
  void aQuietSeriesBecomesOnePackEveryInstanceIdenticalWholeAndAsAFrame() throws Exception {
    Series series = series(5);
    Series lone = series(1);
    uploadAll();
    // Two instances evicted before packing: the pack is made from the cache and from Blob.
    evict(series.sops().get(1));
    evict(series.sops().get(3));
    assertThat(blobsUnder(series)).hasSize(5);

    PackingJob.Run run = job.run(LATER, 10);

    assertThat(run.packs()).isEqualTo(1);
    assertThat(run.instances()).isEqualTo(5);
    assertThat(run.singlesDeleted()).isEqualTo(5);
    List<String> left = blobsUnder(series);
    assertThat(left).as("one pack, no single blob").hasSize(1);
    assertThat(left.get(0)).endsWith(".pack");
    assertThat(blobsUnder(lone)).as("a series of one is left alone").hasSize(1);
    assertThat(gauge("single")).isEqualTo(1.0);
    assertThat(gauge("pack")).isEqualTo(1.0);
    assertThat(journalRows()).isZero();

    // Every instance from its range of the pack (nothing in the cache any more).
    for (String sop : series.sops()) {
      evict(sop);
      InstanceIndex.Row row = index.find(sop).orElseThrow();
      assertThat(row.blobName()).isEqualTo(left.get(0));
      assertThat(row.packOffset()).isGreaterThanOrEqualTo(0);
      try (InputStream in = reader.open(sop).orElseThrow().content()) {
        assertThat(in.readAllBytes()).isEqualTo(series.bytes(sop));
      }
      // The frame of a single-frame CT is the start of its Pixel Data, the file's last bytes.
      byte[] file = series.bytes(sop);
      int pixels = series.pixelBytes(sop);
      Response r =
          given()
              .auth()
              .oauth2(Tokens.client("ponte-hub"))
              .accept("multipart/related; type=\"application/octet-stream\"; transfer-syntax=*")
              .get(
                  "/dicomweb/studies/"
                      + series.study()
                      + "/series/"
                      + series.series()
                      + "/instances/"
                      + sop
                      + "/frames/1");
      assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
      List<MultipartParts.Part> parts = MultipartParts.parse(r.contentType(), r.asByteArray());
      assertThat(parts).hasSize(1);
      assertThat(parts.get(0).body())
          .isEqualTo(
              Arrays.copyOfRange(
                  file, file.length - pixels, file.length - pixels + frameSize(pixels)));
    }

    // Nothing left to pack: a rerun changes nothing.
    PackingJob.Run again = job.run(LATER, 10);
    assertThat(again.packs()).isZero();
    assertThat(blobsUnder(series)).isEqualTo(left);
  }

  @Test
  void aPackFromACacheFileChangedSinceIndexedIsRefusedAndNothingSwitches() throws Exception {
    Series series = series(3);
    uploadAll();
    // Bit rot in a cache file (same size): the pack streams from it, its SHA-256 disagrees.
    Path cached =
        storage.layout().resolve(index.find(series.sops().get(2)).orElseThrow().cachePath());
    byte[] bytes = Files.readAllBytes(cached);
    bytes[bytes.length - 10] = (byte) ~bytes[bytes.length - 10];
    Files.write(cached, bytes);
    double refused = registry.get("ponte.node.pack.refused").counter().count();

    PackingJob.Run run = job.run(LATER, 10);

    assertThat(run.refused()).isEqualTo(1);
    assertThat(run.packs()).isZero();
    assertThat(registry.get("ponte.node.pack.refused").counter().count() - refused).isEqualTo(1.0);
    assertThat(blobsUnder(series)).as("the refused pack deleted, the singles kept").hasSize(3);
    assertThat(blobsUnder(series)).noneMatch(n -> n.endsWith(".pack"));
    assertThat(journalRows()).isZero();
    for (String sop : series.sops()) {
      assertThat(index.find(sop).orElseThrow().packOffset()).isEqualTo(-1);
      evict(sop);
      try (InputStream in = reader.open(sop).orElseThrow().content()) {
        assertThat(in.readAllBytes()).isEqualTo(series.bytes(sop));
      }
    }
  }

  @Test
  void aSeriesThatFailsIsSkippedAndTheSeriesAfterItArePacked() throws Exception {
    Series broken = series(3);
    Series after = series(3);
    uploadAll();
    // One instance of the older series (due first, every run) in neither the cache nor Blob.
    lose(broken.sops().get(1));
    double failed = registry.get("ponte.node.pack.failed").counter().count();

    PackingJob.Run run = job.run(LATER, 10);

    assertThat(run.stoppedBy()).as("Blob answers: not a Blob failure").isNull();
    assertThat(run.failed()).isEqualTo(1);
    assertThat(registry.get("ponte.node.pack.failed").counter().count() - failed).isEqualTo(1.0);
    assertThat(run.packs()).as("the series after the broken one").isEqualTo(1);
    assertThat(blobsUnder(after)).hasSize(1).allMatch(n -> n.endsWith(".pack"));
    assertThat(blobsUnder(broken)).as("its two blobs, no pack").hasSize(2);
    assertThat(blobsUnder(broken)).noneMatch(n -> n.endsWith(".pack"));
    for (String sop : after.sops()) {
      evict(sop);
      try (InputStream in = reader.open(sop).orElseThrow().content()) {
        assertThat(in.readAllBytes()).isEqualTo(after.bytes(sop));
      }
    }
  }

  @Test
  void seriesThatFailEveryTimeDoNotTakeTheRunsFromTheSeriesBehindThem() throws Exception {
    List<Series> broken = List.of(series(3), series(3), series(3));
    Series good = series(3);
    uploadAll();
    for (Series b : broken) {
      lose(b.sops().get(1)); // due first, every run
    }

    PackingJob.Run first = job.run(LATER, 1);
    assertThat(first.failed())
        .as("past its failure, twice as many tried as it may pack")
        .isEqualTo(2);
    assertThat(first.packs()).isZero();

    PackingJob.Run second = job.run(LATER, 1);
    assertThat(second.failed()).as("the two kept out; the third tried").isEqualTo(1);
    assertThat(second.packs()).as("the series behind them").isEqualTo(1);
    assertThat(blobsUnder(good)).hasSize(1).allMatch(n -> n.endsWith(".pack"));

    PackingJob.Run third = job.run(LATER, 1);
    assertThat(third.failed()).as("all three kept out a while").isZero();
    for (Series b : broken) {
      assertThat(blobsUnder(b)).noneMatch(n -> n.endsWith(".pack"));
    }
  }

  @Test
  void aRunStoppedAfterAnyStepLeavesEveryInstanceReadableAndTheNextRunFinishes() throws Exception {
    for (SeriesPacker.Step step : SeriesPacker.Step.values()) {
      emptyIndex();
      Series series = series(4);
      uploadAll();
      packer.crashAfter(step);
      assertThatThrownBy(() -> job.run(LATER, 10))
          .as("stopped after %s", step)
          .isInstanceOf(SeriesPacker.SimulatedCrash.class);
      assertThat(journalRows()).as("journaled after %s", step).isEqualTo(1);
      for (String sop : series.sops()) {
        evict(sop);
        try (InputStream in = reader.open(sop).orElseThrow().content()) {
          assertThat(in.readAllBytes()).as("%s after %s", sop, step).isEqualTo(series.bytes(sop));
        }
      }

      PackingJob.Run next = job.run(LATER, 10);

      assertThat(next.recovered()).as("after %s", step).isEqualTo(1);
      assertThat(journalRows()).isZero();
      List<String> left = blobsUnder(series);
      assertThat(left).as("after %s: one pack, nothing stray", step).hasSize(1);
      assertThat(left.get(0)).endsWith(".pack");
      for (String sop : series.sops()) {
        InstanceIndex.Row row = index.find(sop).orElseThrow();
        assertThat(row.blobName()).isEqualTo(left.get(0));
        try (InputStream in = reader.open(sop).orElseThrow().content()) {
          assertThat(in.readAllBytes()).as("%s after %s", sop, step).isEqualTo(series.bytes(sop));
        }
      }
    }
  }

  @Test
  void fixityReReadsPackedInstancesAndRepairsADamagedOneOutOfItsPack() throws Exception {
    Series series = series(3);
    uploadAll();
    job.run(LATER, 10);
    String pack = blobsUnder(series).get(0);
    // The first instance keeps its cache file (the intact copy); the others are evicted.
    String damaged = series.sops().get(0);
    evict(series.sops().get(1));
    evict(series.sops().get(2));
    InstanceIndex.Row row = index.find(damaged).orElseThrow();
    flipPackByte(pack, row.packOffset() + row.size() - 20);

    FixityJob.Run run = fixity.run(Instant.now(), 50);

    assertThat(run.checked()).isEqualTo(3);
    assertThat(run.repaired()).isEqualTo(1);
    assertThat(run.ok()).isEqualTo(2);
    assertThat(outcome(damaged)).isEqualTo(FixityIndex.REPAIRED);
    InstanceIndex.Row repaired = index.find(damaged).orElseThrow();
    assertThat(repaired.packOffset()).as("out of its pack").isEqualTo(-1);
    assertThat(repaired.blobName()).endsWith(damaged + ".dcm");
    assertThat(blobsUnder(series)).containsExactlyInAnyOrder(pack, repaired.blobName());
    evict(damaged);
    for (String sop : series.sops()) {
      try (InputStream in = reader.open(sop).orElseThrow().content()) {
        assertThat(in.readAllBytes()).isEqualTo(series.bytes(sop));
      }
    }
  }

  @Test
  void theTierPolicyMovesAPackOnceAndDeletingTheStudyDeletesItsPack() throws Exception {
    Series series = series(3);
    uploadAll();
    job.run(LATER, 10);
    String pack = blobsUnder(series).get(0);

    // StudyDate 2026-01-15, months ago: the policy moves the study to Cool, its pack with it.
    tiers.run(Instant.now(), 100);

    assertThat(container().getBlobClient(pack).getProperties().getAccessTier())
        .isEqualTo(com.azure.storage.blob.models.AccessTier.COOL);
    for (String sop : series.sops()) {
      evict(sop);
      try (InputStream in = reader.open(sop).orElseThrow().content()) {
        assertThat(in.readAllBytes()).isEqualTo(series.bytes(sop));
      }
    }

    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "update study set retention_ends_on = date '2001-01-01' where study_instance_uid ="
                    + " ?")) {
      st.setString(1, series.study());
      st.executeUpdate();
    }
    io.ponte.node.retention.ExpiredStudyDeletion.Report deleted =
        deletion.run(false, "pack-test", line -> {});

    assertThat(deleted.deleted()).isEqualTo(1);
    assertThat(blobsUnder(series)).as("the pack deleted with its study").isEmpty();
  }

  // ---- packing at ingest -------------------------------------------------------------------

  @Test
  void atIngestAQuietSeriesGoesUpAsOnePackNotEarlierAndIsEvictableOnceVerified() throws Exception {
    Series series = series(5);
    Series lone = series(1);
    Series busy = series(2);
    // Held as ingest holds them with packing at ingest on (the test profile has it off).
    hold(series, Duration.ofSeconds(60));
    hold(lone, Duration.ofSeconds(60));
    hold(busy, Duration.ofSeconds(60));
    assertThat(uploader.uploadDue()).as("the upload queue leaves held instances alone").isZero();

    // Still receiving (its last instance 1 s before, quiet period 3 s): not packed, nothing held
    // released.
    IngestPacker.Run early = ingest.run(lastReceived(series).plusSeconds(1));
    assertThat(early.packs()).isZero();
    assertThat(blobsUnder(series)).isEmpty();
    assertThat(evictor.evictTo(0)).as("PENDING: the series' study is not evicted").isZero();
    assertThat(uploader.uploadDue()).as("still held").isZero();

    // A series whose hold ran out before it went quiet (still receiving after max-hold): its own
    // uploads, no pack.
    hold(busy, Duration.ZERO);

    IngestPacker.Run run = ingest.run(lastReceived(busy).plusSeconds(4));

    assertThat(run.packs()).isEqualTo(1);
    assertThat(run.instances()).isEqualTo(5);
    List<String> left = blobsUnder(series);
    assertThat(left).as("one PUT: one pack, no single blob").hasSize(1);
    assertThat(left.get(0)).endsWith(".pack");
    assertThat(journalRows()).isZero();
    // A quiet series of one is released at once to an upload of its own, not held to the end.
    assertThat(pending()).isEqualTo(3);
    assertThat(uploader.uploadDue()).isEqualTo(3);
    assertThat(blobsUnder(busy)).hasSize(2).allMatch(n -> n.endsWith(".dcm"));
    assertThat(blobsUnder(lone)).hasSize(1);
    assertThat(blobsUnder(lone).get(0)).endsWith(".dcm");

    // Verified in Blob, so the cache may let go; every instance then from its range of the pack.
    assertThat(evictor.evictTo(0)).isPositive();
    for (String sop : series.sops()) {
      InstanceIndex.Row row = index.find(sop).orElseThrow();
      assertThat(row.cachePath()).as("evicted").isNull();
      assertThat(row.blobState()).isEqualTo(InstanceIndex.UPLOADED);
      assertThat(row.blobName()).isEqualTo(left.get(0));
      try (InputStream in = reader.open(sop).orElseThrow().content()) {
        assertThat(in.readAllBytes()).isEqualTo(series.bytes(sop));
      }
    }
    assertThat(ingest.run(Instant.now()).packs()).as("nothing left to pack").isZero();
  }

  @Test
  void atIngestAPackStoppedAfterAnyStepLeavesEveryInstanceReadableAndStillGoesUp()
      throws Exception {
    for (SeriesPacker.Step step : SeriesPacker.Step.values()) {
      emptyIndex();
      Series series = series(3);
      hold(series, Duration.ofSeconds(60));
      Instant quiet = lastReceived(series).plusSeconds(4);
      packer.crashAfter(step);
      assertThatThrownBy(() -> ingest.run(quiet))
          .as("stopped after %s", step)
          .isInstanceOf(SeriesPacker.SimulatedCrash.class);
      boolean switched = step == SeriesPacker.Step.SWITCHED;
      assertThat(journalRows()).as("journaled after %s", step).isEqualTo(switched ? 0 : 1);
      for (String sop : series.sops()) {
        try (InputStream in = reader.open(sop).orElseThrow().content()) {
          assertThat(in.readAllBytes()).as("%s after %s", sop, step).isEqualTo(series.bytes(sop));
        }
      }

      IngestPacker.Run next = ingest.run(quiet);

      assertThat(next.recovered()).as("after %s", step).isEqualTo(switched ? 0 : 1);
      assertThat(next.packs()).as("a claimed series is not packed twice").isZero();
      assertThat(journalRows()).isZero();
      // The dead run's claim runs out: its instances go up one by one.
      expireLeases();
      uploadAll();
      List<String> left = blobsUnder(series);
      assertThat(left)
          .as("after %s: nothing stray", step)
          .hasSize(switched ? 1 : 3)
          .allMatch(n -> n.endsWith(switched ? ".pack" : ".dcm"));
      evictor.evictTo(0);
      for (String sop : series.sops()) {
        assertThat(index.find(sop).orElseThrow().cachePath()).isNull();
        try (InputStream in = reader.open(sop).orElseThrow().content()) {
          assertThat(in.readAllBytes()).as("%s after %s", sop, step).isEqualTo(series.bytes(sop));
        }
      }
    }
  }

  @Test
  void atIngestACacheFileChangedSinceIndexedIsRefusedAndItsSeriesStaysUnpackedAndServed()
      throws Exception {
    Series series = series(3);
    hold(series, Duration.ofSeconds(60));
    String changed = series.sops().get(1);
    Path cached = storage.layout().resolve(index.find(changed).orElseThrow().cachePath());
    byte[] bytes = Files.readAllBytes(cached);
    bytes[bytes.length / 2] = (byte) ~bytes[bytes.length / 2];
    Files.write(cached, bytes);
    double refused = registry.get("ponte.node.pack.refused").counter().count();

    IngestPacker.Run run = ingest.run(lastReceived(series).plusSeconds(4));

    assertThat(run.packs()).isZero();
    assertThat(run.failed()).isEqualTo(1);
    assertThat(run.stoppedBy()).contains("refused");
    assertThat(registry.get("ponte.node.pack.refused").counter().count() - refused).isEqualTo(1.0);
    assertThat(blobsUnder(series)).as("the write ended before its commit: no pack").isEmpty();
    assertThat(journalRows()).isZero();
    assertThat(evictor.evictTo(0)).as("nothing verified in Blob: nothing evicted").isZero();
    for (String sop : series.sops()) {
      InstanceIndex.Row row = index.find(sop).orElseThrow();
      assertThat(row.blobState()).isEqualTo(InstanceIndex.PENDING);
      assertThat(row.packOffset()).isEqualTo(-1);
      try (InputStream in = reader.open(sop).orElseThrow().content()) {
        byte[] served = in.readAllBytes();
        if (!sop.equals(changed)) {
          assertThat(served).isEqualTo(series.bytes(sop));
        }
      }
    }
  }

  @Test
  void atIngestAnIndexFailureOfAPackReleasesItsClaims() throws Exception {
    Series series = series(3);
    hold(series, Duration.ofSeconds(60));
    // The switch to the pack fails in the index (as a lost connection would fail it).
    try (Connection c = db();
        Statement st = c.createStatement()) {
      st.execute(
          "create or replace function pack_test_fail() returns trigger language plpgsql as $$"
              + " begin raise exception 'switch refused by the test'; end $$");
      st.execute(
          "create trigger pack_test_fail before update of pack_offset on instance for each row"
              + " when (new.series_instance_uid = '"
              + series.series()
              + "' and new.pack_offset is not null) execute function pack_test_fail()");
    }
    try {
      assertThatThrownBy(() -> ingest.run(lastReceived(series).plusSeconds(4)))
          .isInstanceOf(java.sql.SQLException.class)
          .hasMessageContaining("switch refused by the test");
    } finally {
      try (Connection c = db();
          Statement st = c.createStatement()) {
        st.execute("drop trigger if exists pack_test_fail on instance");
        st.execute("drop function if exists pack_test_fail()");
      }
    }

    assertThat(claimedBy(series)).as("claims released").isZero();
    assertThat(uploader.uploadDue()).as("due for uploads of their own").isEqualTo(3);
    assertThat(ingest.run(Instant.now()).recovered()).as("the unused pack deleted").isEqualTo(1);
    assertThat(blobsUnder(series)).hasSize(3).allMatch(n -> n.endsWith(".dcm"));
  }

  @Test
  void atIngestAtMostConcurrencySeriesArePackedAtOnce() throws Exception {
    List<Series> all = new ArrayList<>();
    Instant quiet = Instant.EPOCH;
    for (int i = 0; i < 5; i++) {
      Series s = series(2);
      hold(s, Duration.ofSeconds(60));
      all.add(s);
      quiet = lastReceived(s).plusSeconds(4);
    }
    var real = storage.blobStore();
    InFlightBlobStore counted = new InFlightBlobStore(real, Duration.ofSeconds(1));
    storage.useBlobStore(counted);
    try {
      IngestPacker.Run run = ingest.run(quiet);

      assertThat(run.packs()).isEqualTo(5);
      assertThat(counted.max()).as("packs in flight at once (concurrency 2)").isEqualTo(2);
    } finally {
      storage.useBlobStore(real);
    }
    for (Series s : all) {
      assertThat(blobsUnder(s)).hasSize(1).allMatch(n -> n.endsWith(".pack"));
    }
  }

  // ---- a claim is told by its owner ----------------------------------------------------------

  @Test
  void anUploadWhoseClaimAPackTookMeanwhileIsNotMarkedAndLeavesNoObjectOfItsOwn() throws Exception {
    Series series = series(2);
    // Only the first instance is due for the worker; the second waits.
    holdInstance(series.sops().get(1), Duration.ofSeconds(60));
    var real = storage.blobStore();
    // Once the worker has written the first instance's object, its lease has run out and a pack
    // claims the series and switches it to the pack (as `ponte migrate`'s claims take what is due).
    HookedBlobStore hooked =
        new HookedBlobStore(
            real,
            name -> name.endsWith(".dcm"),
            () -> {
              expireLeases();
              Instant now = Instant.now();
              List<PackIndex.PendingMember> claimed =
                  packIndex.claimPending(series.sops(), now, now.plus(Duration.ofMinutes(5)));
              assertThat(claimed).hasSize(2);
              SeriesPacker.Outcome done =
                  packer.packPendingGroup(
                      series.study(),
                      series.series(),
                      claimed.stream().map(PackIndex.PendingMember::location).toList());
              assertThat(done.packs()).as("the pack's switch").isEqualTo(1);
            });
    storage.useBlobStore(hooked);
    int uploaded;
    try {
      uploaded = uploader.uploadDue();
    } finally {
      storage.useBlobStore(real);
    }

    assertThat(hooked.ran()).isTrue();
    assertThat(hooked.failure()).isNull();
    assertThat(uploaded).as("not marked: the row was no longer the worker's").isZero();
    List<String> left = blobsUnder(series);
    assertThat(left)
        .as("the pack, and no object of its own that nothing points at")
        .hasSize(1)
        .allMatch(n -> n.endsWith(".pack"));
    for (String sop : series.sops()) {
      InstanceIndex.Row row = index.find(sop).orElseThrow();
      assertThat(row.blobState()).isEqualTo(InstanceIndex.UPLOADED);
      assertThat(row.blobName()).isEqualTo(left.get(0));
      assertThat(row.packOffset()).isNotNegative();
      try (InputStream in = reader.open(sop).orElseThrow().content()) {
        assertThat(in.readAllBytes()).isEqualTo(series.bytes(sop));
      }
    }
  }

  @Test
  void atIngestAPackWhoseClaimTheUploadWorkerTookMeanwhileIsNotSwitchedTo() throws Exception {
    Series series = series(2);
    hold(series, Duration.ofSeconds(60));
    var real = storage.blobStore();
    java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch marked = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Object> worker =
        new java.util.concurrent.atomic.AtomicReference<>();
    // The worker writes its objects, then waits until the pack has tried its switch.
    HookedBlobStore singles =
        new HookedBlobStore(
                real,
                name -> name.endsWith(".dcm"),
                () -> {
                  written.countDown();
                  assertThat(marked.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                })
            .everyTime();
    // Once the pack is written, its lease has run out and this run's upload worker has claimed
    // the series' instances and written one of them.
    Thread uploading =
        new Thread(
            () -> {
              try {
                worker.set(uploader.uploadDue());
              } catch (Exception e) {
                worker.set(e);
              }
            });
    HookedBlobStore hooked =
        new HookedBlobStore(
            singles,
            name -> name.endsWith(".pack"),
            () -> {
              expireLeases();
              uploading.start();
              assertThat(written.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            });
    storage.useBlobStore(hooked);
    IngestPacker.Run run;
    try {
      run = ingest.run(lastReceived(series).plusSeconds(4));
      marked.countDown();
      uploading.join(30_000);
    } finally {
      marked.countDown();
      storage.useBlobStore(real);
    }

    assertThat(hooked.failure()).isNull();
    assertThat(singles.failure()).isNull();
    assertThat(run.packs()).as("not switched to: the claims were the worker's").isZero();
    assertThat(worker.get()).as("the worker's uploads stand").isEqualTo(2);
    assertThat(blobsUnder(series)).hasSize(2).allMatch(n -> n.endsWith(".dcm"));
    assertThat(journalRows()).as("the unused pack deleted").isZero();
    for (String sop : series.sops()) {
      InstanceIndex.Row row = index.find(sop).orElseThrow();
      assertThat(row.blobState()).isEqualTo(InstanceIndex.UPLOADED);
      assertThat(row.packOffset()).isEqualTo(-1);
      assertThat(row.blobName()).endsWith(sop + ".dcm");
    }
  }

  @Test
  void aPackReleasesOnlyItsOwnClaimsNotThoseTakenAfterItsLeaseRanOut() throws Exception {
    Series taken = series(2);
    Series uploading = series(2);
    hold(taken, Duration.ofSeconds(60));
    hold(uploading, Duration.ofSeconds(60));
    Instant now = Instant.now();
    Instant lease = now.plus(Duration.ofMinutes(10));
    assertThat(packIndex.claimHeld(taken.series(), now, Long.MAX_VALUE, lease)).hasSize(2);
    assertThat(packIndex.claimHeld(uploading.series(), now, Long.MAX_VALUE, lease)).hasSize(2);
    List<String> claimed = new ArrayList<>(taken.sops());
    claimed.addAll(uploading.sops());
    // The pack outlives its lease: another run takes one series, this run's upload worker the
    // other.
    expireLeases();
    try (OtherRun other = new OtherRun(TestDatabases.url(DATABASE))) {
      claimAs(other.id(), taken, false);
      Instant later = Instant.now();
      assertThat(uploads.claimDueUploads(10, later, later.plus(Duration.ofMinutes(10)))).hasSize(2);

      packIndex.releaseHeld(claimed, Instant.now(), true);

      String untouched =
          "count(*) filter (where series_instance_uid = ? and blob_claimed_by = ?"
              + " and not blob_claim_held and blob_attempts = 0"
              + " and blob_next_attempt_at > now() + interval '5 minutes')";
      assertThat(count(untouched, taken.series(), other.id()))
          .as("the other run's claim stands")
          .isEqualTo(2);
      assertThat(count(untouched, uploading.series(), owner.id()))
          .as("the upload worker's claim stands")
          .isEqualTo(2);
    }
  }

  // ---- claims of ended runs ------------------------------------------------------------------

  @Test
  void aDeadRunsClaimsAreReleasedAtOnceAndALiveRunsNeverWhateverTheirAge() throws Exception {
    Series packing = series(3);
    Series uploading = series(2);
    Series ours = series(2);
    hold(packing, Duration.ofSeconds(60));
    Instant now = Instant.now();
    Instant heldUntil = now.plusSeconds(60);
    long otherRun;
    // Another process on the same database (a second node, `ponte migrate`): its run's lock.
    try (OtherRun other = new OtherRun(TestDatabases.url(DATABASE))) {
      otherRun = other.id();
      claimAs(otherRun, packing, true);
      claimAs(otherRun, uploading, false);
      // This process's own claim, made as the upload worker makes it.
      assertThat(uploads.claimDueUploads(10, now, now.plus(Duration.ofMinutes(10)))).hasSize(2);

      DeadClaims.Released none = deadClaims.release(now, heldUntil);

      assertThat(none.total()).as("live runs: nothing released").isZero();
      assertThat(claimedBy(otherRun)).as("3 for a pack, 2 uploads, 2 replica copies").isEqualTo(7);
      assertThat(claimedBy(ours)).isEqualTo(2);
      assertThat(ingest.run(lastReceived(packing).plusSeconds(4)).packs())
          .as("a live run's pack claim is not packed again")
          .isZero();
      assertThat(uploader.uploadDue()).as("nor its uploads").isZero();
    }
    // Its session ended (as a kill -9 ends it): the run is dead, its claims released at once.

    DeadClaims.Released released = deadClaims.release(Instant.now(), heldUntil);

    assertThat(released.held()).as("pack claims held for a pack again").isEqualTo(3);
    assertThat(released.uploads()).isEqualTo(2);
    assertThat(released.replicas()).isEqualTo(2);
    assertThat(claimedBy(otherRun)).isZero();
    assertThat(claimedBy(ours)).as("this live process's claim stays").isEqualTo(2);
    assertThat(uploader.uploadDue()).as("the dead run's uploads due now").isEqualTo(2);
    assertThat(blobsUnder(uploading)).hasSize(2).allMatch(n -> n.endsWith(".dcm"));
    IngestPacker.Run repacked = ingest.run(lastReceived(packing).plusSeconds(4));
    assertThat(repacked.packs()).as("the dead run's series packed, not one blob each").isEqualTo(1);
    assertThat(blobsUnder(packing)).hasSize(1).allMatch(n -> n.endsWith(".pack"));
    assertThat(blobsUnder(ours)).as("still claimed by this live run: not uploaded").isEmpty();
  }

  /** Claims the series' instances as run {@code run} would: its id, the lease 10 minutes on. */
  private void claimAs(long run, Series s, boolean forPack) throws Exception {
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set blob_claimed_by = ?, blob_claim_held = ?,"
                    + " blob_next_attempt_at = now() + interval '10 minutes'"
                    + (forPack
                        ? ""
                        : ", replica_claimed_by = ?,"
                            + " replica_next_attempt_at = now() + interval '10 minutes'")
                    + " where series_instance_uid = ?")) {
      st.setLong(1, run);
      st.setBoolean(2, forPack);
      if (forPack) {
        st.setString(3, s.series());
      } else {
        st.setLong(3, run);
        st.setString(4, s.series());
      }
      st.executeUpdate();
    }
  }

  /** Instances (and replica copies) claimed by {@code run}. */
  private long claimedBy(long run) throws Exception {
    return count(
        "count(*) filter (where blob_claimed_by = ?) + count(*) filter (where replica_claimed_by ="
            + " ?)",
        run,
        run);
  }

  /** The series' instances claimed by any run. */
  private long claimedBy(Series s) throws Exception {
    return count(
        "count(*) filter (where series_instance_uid = ? and blob_claimed_by is not null)",
        s.series());
  }

  /** {@code select <what> from instance} with {@code params}. */
  private long count(String what, Object... params) throws Exception {
    try (Connection c = db();
        PreparedStatement st = c.prepareStatement("select " + what + " from instance")) {
      for (int i = 0; i < params.length; i++) {
        st.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Holds the series' instances from the upload queue for {@code hold} after their arrival. */
  private void hold(Series s, Duration hold) throws Exception {
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set blob_next_attempt_at = received_at + ? * interval '1 second'"
                    + " where series_instance_uid = ?")) {
      st.setLong(1, hold.toSeconds());
      st.setString(2, s.series());
      st.executeUpdate();
    }
  }

  /** Holds one instance from the upload queue for {@code hold} after its arrival. */
  private void holdInstance(String sop, Duration hold) throws Exception {
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set blob_next_attempt_at = received_at + ? * interval '1 second'"
                    + " where sop_instance_uid = ?")) {
      st.setLong(1, hold.toSeconds());
      st.setString(2, sop);
      st.executeUpdate();
    }
  }

  private Instant lastReceived(Series s) throws Exception {
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "select max(received_at) from instance where series_instance_uid = ?")) {
      st.setString(1, s.series());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getTimestamp(1).toInstant();
      }
    }
  }

  /** What a claim's lease ending leaves: its instances due for their own upload. */
  private void expireLeases() throws Exception {
    try (Connection c = db();
        Statement st = c.createStatement()) {
      st.execute(
          "update instance set blob_next_attempt_at = now() - interval '1 second'"
              + " where blob_state = 'PENDING'");
    }
  }

  /** A series' instances as sent: SOP Instance UID to Part 10 bytes and pixel data size. */
  record Series(String study, String series, Map<String, byte[]> files, Map<String, Integer> px) {
    List<String> sops() {
      return new ArrayList<>(files.keySet());
    }

    byte[] bytes(String sop) {
      return files.get(sop);
    }

    int pixelBytes(String sop) {
      return px.get(sop);
    }
  }

  private Series series(int instances) throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    Map<String, byte[]> files = new LinkedHashMap<>();
    Map<String, Integer> px = new LinkedHashMap<>();
    for (int i = 0; i < instances; i++) {
      String sop = DicomTestFiles.newUid();
      int pixels = 8_192 + 2_048 * i;
      byte[] bytes =
          Files.readAllBytes(DicomTestFiles.ct(dir, study, series, sop, pixels, 100 + i));
      store.storePart10(SOURCE, new ByteArrayInputStream(bytes));
      files.put(sop, bytes);
      px.put(sop, pixels);
    }
    return new Series(study, series, files, px);
  }

  /** Rows x columns x 2 of DicomTestFiles.ct's square-ish 16-bit image. */
  private static int frameSize(int pixelBytes) {
    int side = (int) Math.sqrt(pixelBytes / 2.0);
    return side * (pixelBytes / 2 / side) * 2;
  }

  private void uploadAll() throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (pending() > 0) {
      assertThat(System.currentTimeMillis()).as("uploaded").isLessThan(deadline);
      uploader.uploadDue();
    }
  }

  private long pending() throws Exception {
    try (Connection c = db();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("select count(*) from instance where blob_state = 'PENDING'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The cache file released, as the evictor does once the blob is safe. */
  private void evict(String sop) throws Exception {
    InstanceIndex.Row row = index.find(sop).orElseThrow();
    if (row.cachePath() == null) {
      return;
    }
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set cache_path = null where sop_instance_uid = ?")) {
      st.setString(1, sop);
      st.executeUpdate();
    }
    Files.deleteIfExists(storage.layout().resolve(row.cachePath()));
  }

  /** The instance in neither the cache nor Blob: its series cannot be packed. */
  private void lose(String sop) throws Exception {
    evict(sop);
    container().getBlobClient(index.find(sop).orElseThrow().blobName()).delete();
  }

  private List<String> blobsUnder(Series s) {
    List<String> names = new ArrayList<>();
    for (BlobItem item :
        container()
            .listBlobs(
                new com.azure.storage.blob.models.ListBlobsOptions()
                    .setPrefix(s.study() + "/" + s.series() + "/"),
                null)) {
      names.add(item.getName());
    }
    return names;
  }

  private void flipPackByte(String pack, long at) {
    var blob = container().getBlobClient(pack);
    byte[] bytes = blob.downloadContent().toBytes();
    bytes[(int) at] = (byte) ~bytes[(int) at];
    Map<String, String> metadata = blob.getProperties().getMetadata();
    blob.uploadWithResponse(
        new com.azure.storage.blob.options.BlobParallelUploadOptions(
                com.azure.core.util.BinaryData.fromBytes(bytes))
            .setMetadata(metadata),
        null,
        null);
  }

  private BlobContainerClient container() {
    return new BlobServiceClientBuilder()
        .connectionString(storage.config().blobConnectionString())
        .buildClient()
        .getBlobContainerClient(storage.containerName());
  }

  private double gauge(String kind) {
    return registry.get("ponte.node.storage.objects").tag("kind", kind).gauge().value();
  }

  private long journalRows() throws Exception {
    try (Connection c = db();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from pack_journal")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String outcome(String sop) throws Exception {
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

  private static Connection db() throws Exception {
    return TestDatabases.asOwner(DATABASE);
  }
}
