package io.ponte.node.fixity;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ponte.node.index.FixityIndex;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.WholeIndexTestProfile;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.TestDatabases;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixity job against the real PostgreSQL and Azurite: every instance comes round, least
 * recently verified first; a cache file and a blob whose bytes were overwritten (same size, blob
 * metadata untouched, as bit rot leaves them) are found, counted and repaired from the other copy;
 * an instance with both copies overwritten is counted unrepairable and shows in health, which stays
 * UP.
 */
@QuarkusTest
@TestProfile(WholeIndexTestProfile.class)
@DisplayName("fixity: sample, compare, repair")
class FixityJobTest {

  static final String DATABASE = WholeIndexTestProfile.DATABASE;

  private static final IngestSource SOURCE =
      new IngestSource(IngestSource.Protocol.STOW_RS, "fixity-test", "127.0.0.1");

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject FixityJob job;

  @Inject @Readiness FixityHealthCheck health;

  @Inject MeterRegistry registry;

  @TempDir Path dir;

  @BeforeEach
  void emptyIndex() throws Exception {
    WholeIndexTestProfile.emptyIndex(index);
  }

  @Test
  void everyInstanceComesRoundLeastRecentlyVerifiedFirst() throws Exception {
    List<String> sops = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sops.add(storeOne(100 + i));
    }
    // Received in this order, one minute apart, long ago; the fourth was checked more recently
    // than the others were received, the fifth checked longest ago of all.
    Instant t0 = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < 5; i++) {
      setReceived(sops.get(i), t0.plus(i, ChronoUnit.MINUTES));
    }
    setChecked(sops.get(3), t0.plus(10, ChronoUnit.MINUTES));
    setChecked(sops.get(4), t0.minus(10, ChronoUnit.MINUTES));

    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    FixityJob.Run first = job.run(now, 2);
    assertThat(first.checked()).isEqualTo(2);
    assertThat(checkedAt(sops.get(4))).isEqualTo(now);
    assertThat(checkedAt(sops.get(0))).isEqualTo(now);
    assertThat(checkedAt(sops.get(1))).isNotEqualTo(now);

    Instant later = now.plusSeconds(60);
    assertThat(job.run(later, 2).checked()).isEqualTo(2);
    assertThat(checkedAt(sops.get(1))).isEqualTo(later);
    assertThat(checkedAt(sops.get(2))).isEqualTo(later);
    assertThat(checkedAt(sops.get(3))).as("checked recently: last").isNotEqualTo(later);

    Instant third = later.plusSeconds(60);
    assertThat(job.run(third, 1).checked()).isEqualTo(1);
    assertThat(checkedAt(sops.get(3))).isEqualTo(third);
    // A full cycle: the next run starts over with the instances checked first.
    Instant fourth = third.plusSeconds(60);
    job.run(fourth, 2);
    assertThat(checkedAt(sops.get(4))).isEqualTo(fourth);
    assertThat(checkedAt(sops.get(0))).isEqualTo(fourth);
    for (String sop : sops) {
      assertThat(outcome(sop)).isEqualTo(FixityIndex.OK);
    }
  }

  @Test
  void repairsACorruptCacheFileAndACorruptBlobAndCountsBothCorruptAsUnrepairable()
      throws Exception {
    String cacheRot = storeOne(1);
    String blobRot = storeOne(2);
    String blobLost = storeOne(3);
    String bothRot = storeOne(4);
    String intact = storeOne(5);
    for (String sop : List.of(cacheRot, blobRot, blobLost, bothRot, intact)) {
      awaitUploaded(sop);
    }
    overwriteCacheBytes(cacheRot);
    overwriteBlobBytes(blobRot);
    blob(blobLost).delete();
    overwriteCacheBytes(bothRot);
    overwriteBlobBytes(bothRot);
    double cacheDamaged =
        count("ponte.node.fixity.mismatches", "copy", "cache", "problem", "damaged");
    double blobDamaged =
        count("ponte.node.fixity.mismatches", "copy", "blob", "problem", "damaged");
    double blobMissing =
        count("ponte.node.fixity.mismatches", "copy", "blob", "problem", "missing");
    double cacheRepaired = count("ponte.node.fixity.repaired", "copy", "cache");
    double blobRepaired = count("ponte.node.fixity.repaired", "copy", "blob");
    double unrepairable = count("ponte.node.fixity.unrepairable");
    double checked = count("ponte.node.fixity.checked");

    FixityJob.Run run = job.run(Instant.now(), 50);

    assertThat(run.checked()).isEqualTo(5);
    assertThat(run.ok()).isEqualTo(1);
    assertThat(run.repaired()).isEqualTo(3);
    assertThat(run.unrepairable()).isEqualTo(1);
    assertThat(sha256OfCacheFile(cacheRot)).isEqualTo(row(cacheRot).sha256());
    assertThat(sha256OfBlob(blobRot)).isEqualTo(row(blobRot).sha256());
    assertThat(sha256OfBlob(blobLost)).isEqualTo(row(blobLost).sha256());
    assertThat(sha256OfCacheFile(bothRot)).isNotEqualTo(row(bothRot).sha256());
    assertThat(outcome(cacheRot)).isEqualTo(FixityIndex.REPAIRED);
    assertThat(outcome(blobRot)).isEqualTo(FixityIndex.REPAIRED);
    assertThat(outcome(bothRot)).isEqualTo(FixityIndex.UNREPAIRABLE);
    assertThat(outcome(intact)).isEqualTo(FixityIndex.OK);

    assertThat(count("ponte.node.fixity.checked") - checked).isEqualTo(5);
    assertThat(
            count("ponte.node.fixity.mismatches", "copy", "cache", "problem", "damaged")
                - cacheDamaged)
        .as("cacheRot and bothRot")
        .isEqualTo(2);
    assertThat(
            count("ponte.node.fixity.mismatches", "copy", "blob", "problem", "damaged")
                - blobDamaged)
        .as("blobRot and bothRot")
        .isEqualTo(2);
    assertThat(
            count("ponte.node.fixity.mismatches", "copy", "blob", "problem", "missing")
                - blobMissing)
        .isEqualTo(1);
    assertThat(count("ponte.node.fixity.repaired", "copy", "cache") - cacheRepaired).isEqualTo(1);
    assertThat(count("ponte.node.fixity.repaired", "copy", "blob") - blobRepaired).isEqualTo(2);
    assertThat(count("ponte.node.fixity.unrepairable") - unrepairable).isEqualTo(1);
    assertThat(registry.get("ponte.node.fixity.unrepairable.instances").gauge().value())
        .isEqualTo(1.0);

    HealthCheckResponse degraded = health.call();
    assertThat(degraded.getStatus())
        .as("a data problem, not unreadiness")
        .isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(degraded.getData().orElseThrow())
        .containsEntry("unrepairableInstances", 1L)
        .hasEntrySatisfying("fixity", v -> assertThat(v.toString()).startsWith("degraded"));

    // The next cycle finds the repaired copies intact; the unrepairable one stays counted.
    FixityJob.Run again = job.run(Instant.now().plusSeconds(1), 50);
    assertThat(again.ok()).isEqualTo(4);
    assertThat(again.unrepairable()).isEqualTo(1);
    assertThat(again.repaired()).isZero();
    assertThat(registry.get("ponte.node.fixity.unrepairable.instances").gauge().value())
        .isEqualTo(1.0);

    // Once the instance is gone from the index (the operator's decision), health is ok again.
    index.forget(bothRot);
    assertThat(health.call().getData().orElseThrow()).containsEntry("fixity", "ok");
  }

  @Test
  void anEvictedInstanceWithABadBlobIsUnrepairableAndRepairOffRepairsNothing() throws Exception {
    String evicted = storeOne(20);
    awaitUploaded(evicted);
    Path file = cacheFile(evicted);
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set cache_path = null where sop_instance_uid = ?")) {
      st.setString(1, evicted);
      st.executeUpdate();
    }
    Files.delete(file);
    overwriteBlobBytes(evicted);

    FixityJob.Run run = job.run(Instant.now(), 10);

    assertThat(run.unrepairable()).isEqualTo(1);
    assertThat(outcome(evicted)).isEqualTo(FixityIndex.UNREPAIRABLE);
    assertThat(file).as("nothing invented in the cache").doesNotExist();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private String storeOne(long seed) throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file =
        DicomTestFiles.ct(dir, DicomTestFiles.newUid(), DicomTestFiles.newUid(), sop, 20_000, seed);
    store.storePart10(SOURCE, new ByteArrayInputStream(Files.readAllBytes(file)));
    return sop;
  }

  private InstanceIndex.Row row(String sop) throws Exception {
    return index.find(sop).orElseThrow();
  }

  private void awaitUploaded(String sop) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!InstanceIndex.UPLOADED.equals(row(sop).blobState())) {
      assertThat(System.currentTimeMillis()).as("%s uploaded", sop).isLessThan(deadline);
      uploader.uploadDue();
      Thread.sleep(100);
    }
  }

  private Path cacheFile(String sop) throws Exception {
    return storage.layout().resolve(row(sop).cachePath());
  }

  /** Flips bytes near the end (in Pixel Data): same size, other content. */
  private void overwriteCacheBytes(String sop) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(cacheFile(sop).toFile(), "rw")) {
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

  /** Rewrites the blob with bytes flipped, keeping the metadata the upload recorded. */
  private void overwriteBlobBytes(String sop) throws Exception {
    BlobClient blob = blob(sop);
    byte[] bytes = blob.downloadContent().toBytes();
    for (int i = bytes.length - 100; i < bytes.length - 84; i++) {
      bytes[i] = (byte) ~bytes[i];
    }
    Map<String, String> metadata = blob.getProperties().getMetadata();
    blob.uploadWithResponse(
        new BlobParallelUploadOptions(BinaryData.fromBytes(bytes)).setMetadata(metadata),
        null,
        null);
    assertThat(blob.getProperties().getMetadata()).containsEntry("sha256", row(sop).sha256());
  }

  private BlobClient blob(String sop) throws Exception {
    return new BlobServiceClientBuilder()
        .connectionString(storage.config().blobConnectionString())
        .buildClient()
        .getBlobContainerClient(storage.containerName())
        .getBlobClient(row(sop).blobName());
  }

  private String sha256OfCacheFile(String sop) throws Exception {
    return DicomTestFiles.sha256(cacheFile(sop));
  }

  private String sha256OfBlob(String sop) throws Exception {
    try (InputStream in = blob(sop).openInputStream()) {
      return DicomTestFiles.sha256(in);
    }
  }

  private double count(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Connection db() throws Exception {
    return TestDatabases.asOwner(DATABASE);
  }

  private static void setReceived(String sop, Instant at) throws Exception {
    update("update instance set received_at = ? where sop_instance_uid = ?", at, sop);
  }

  private static void setChecked(String sop, Instant at) throws Exception {
    update("update instance set fixity_checked_at = ? where sop_instance_uid = ?", at, sop);
  }

  private static void update(String sql, Instant at, String sop) throws Exception {
    try (Connection c = db();
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setTimestamp(1, Timestamp.from(at));
      st.setString(2, sop);
      st.executeUpdate();
    }
  }

  private static Instant checkedAt(String sop) throws Exception {
    try (Connection c = db();
        PreparedStatement st =
            c.prepareStatement(
                "select fixity_checked_at from instance where sop_instance_uid = ?")) {
      st.setString(1, sop);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        Timestamp t = rs.getTimestamp(1);
        return t == null ? null : t.toInstant();
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
