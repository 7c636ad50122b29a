package io.ponte.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.agroal.api.AgroalDataSource;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.TierIndex;
import io.ponte.node.storage.blob.BlobTier;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tier policy job against the real Azurite and index, with a clock the test controls: studies
 * of different ages end in the right tier (read back from the blob properties and from the index),
 * never warmer, within the batch bound, and the gauges count them.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class TierPolicyTest {

  /** The policy's clock: StudyDates below are relative to it. */
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Inject InstanceStore store;

  @Inject InstanceIndex instances;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploads;

  @Inject TierPolicyJob job;

  @Inject TierIndex tiers;

  @Inject TierMetrics metrics;

  // Looked up lazily, as the index does: a hub-profile boot of the same test classes has no node
  // DB.
  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> ds;

  StoredObjects objects;
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    objects = new StoredObjects(store, instances, storage, uploads);
    dir = Files.createTempDirectory(Paths.get("target"), "tiers-");
    // Other tests' studies share this index: park them, so each run here sees only its own.
    try (Connection c = ds.get().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("update study set tier_due_at = '9999-01-01'");
    }
  }

  /** A study of {@code count} CT instances with this StudyDate, uploaded to Blob. */
  private List<String> study(String study, String studyDate, int count) throws Exception {
    String series = DicomTestFiles.newUid();
    List<String> sops = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String sop = DicomTestFiles.newUid();
      Path file = DicomTestFiles.ct(dir, study, series, sop, 2048 + i, i);
      DicomTestFiles.run("dcmodify", "-nb", "-m", "(0008,0020)=" + studyDate, file.toString());
      objects.store(Files.readAllBytes(file));
      objects.awaitUploaded(sop);
      sops.add(sop);
    }
    return sops;
  }

  private BlobContainerClient container() {
    return new BlobServiceClientBuilder()
        .connectionString(storage.config().blobConnectionString())
        .buildClient()
        .getBlobContainerClient(storage.containerName());
  }

  /** The tier Azurite reports for each instance's blob. */
  private List<BlobTier> blobTiers(List<String> sops) throws Exception {
    List<BlobTier> found = new ArrayList<>();
    for (String sop : sops) {
      String tier =
          container()
              .getBlobClient(objects.row(sop).blobName())
              .getProperties()
              .getAccessTier()
              .toString();
      found.add(BlobTier.valueOf(tier.toUpperCase(Locale.ROOT)));
    }
    return found;
  }

  private void assertTier(String study, List<String> sops, BlobTier tier) throws Exception {
    assertThat(blobTiers(sops)).as("Blob tiers of %s", study).containsOnly(tier);
    assertThat(tiers.instanceTiers(study).values())
        .as("index tiers of %s", study)
        .containsOnly(tier.name());
    assertThat(tiers.studyTier(study)).isEqualTo(tier.name());
  }

  @Test
  void movesEachStudyToTheTierItsAgeAndLastAccessCallFor() throws Exception {
    String young = DicomTestFiles.newUid();
    String halfYear = DicomTestFiles.newUid();
    String old = DicomTestFiles.newUid();
    String ancient = DicomTestFiles.newUid();
    String ancientButRead = DicomTestFiles.newUid();
    String noDate = DicomTestFiles.newUid();
    Map<String, List<String>> sops =
        Map.of(
            young, study(young, "20261101", 2),
            halfYear, study(halfYear, "20260301", 2),
            old, study(old, "20251001", 2),
            ancient, study(ancient, "20240101", 2),
            ancientButRead, study(ancientButRead, "20240101", 1),
            noDate, study(noDate, "", 1));
    // read three weeks before the run: its age counts from then
    assertThat(
            tiers.recordStudyAccess(
                ancientButRead, NOW.minus(Duration.ofDays(21)), Duration.ofDays(1)))
        .isTrue();
    assertThat(
            tiers.recordStudyAccess(
                ancientButRead, NOW.minus(Duration.ofDays(21)), Duration.ofDays(1)))
        .as("a second read the same day writes nothing")
        .isFalse();

    TierPolicyJob.Run run = job.run(NOW);

    assertThat(run.reviewed()).isEqualTo(6);
    assertThat(run.moved()).isEqualTo(6);
    assertThat(run.blobFailed()).isFalse();
    assertTier(young, sops.get(young), BlobTier.HOT);
    assertTier(halfYear, sops.get(halfYear), BlobTier.COOL);
    assertTier(old, sops.get(old), BlobTier.COLD);
    assertTier(ancient, sops.get(ancient), BlobTier.ARCHIVE);
    assertTier(ancientButRead, sops.get(ancientButRead), BlobTier.HOT);
    // without a StudyDate the age counts from the first ingest (today, for the real clock)
    assertTier(noDate, sops.get(noDate), BlobTier.HOT);
    assertThat(metrics.instances(BlobTier.ARCHIVE)).isGreaterThanOrEqualTo(2);
    assertThat(metrics.instances(BlobTier.COLD)).isGreaterThanOrEqualTo(2);
    assertThat(metrics.bytes(BlobTier.ARCHIVE)).isGreaterThanOrEqualTo(2 * 2048L);

    // Nothing is due again until the next boundary; 500 days later the cool study is archived,
    // and the archived one is never warmed by the policy.
    assertThat(job.run(NOW.plus(Duration.ofDays(1))).reviewed()).isZero();
    job.run(NOW.plus(Duration.ofDays(500)));
    assertTier(halfYear, sops.get(halfYear), BlobTier.ARCHIVE);
    assertTier(ancient, sops.get(ancient), BlobTier.ARCHIVE);
  }

  @Test
  void boundsEachRunByTheBatchSizeAndFinishesAHalfDoneStudyNextRun() throws Exception {
    String study = DicomTestFiles.newUid();
    List<String> sops = study(study, "20200101", 3);

    TierPolicyJob.Run first = job.run(NOW, 2);

    assertThat(first.moved()).isEqualTo(2);
    assertThat(blobTiers(sops))
        .containsExactlyInAnyOrder(BlobTier.ARCHIVE, BlobTier.ARCHIVE, BlobTier.HOT);
    assertThat(tiers.instanceTiers(study).values())
        .containsExactlyInAnyOrder("ARCHIVE", "ARCHIVE", "HOT");
    assertThat(tiers.studyTier(study)).as("not done yet").isEqualTo("HOT");

    TierPolicyJob.Run second = job.run(NOW, 2);

    assertThat(second.moved()).isEqualTo(1);
    assertTier(study, sops, BlobTier.ARCHIVE);
  }

  @Test
  void leavesAStudyWithAnInstanceNotYetInBlobForALaterRun() throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 1024, 7);
    DicomTestFiles.run("dcmodify", "-nb", "-m", "(0008,0020)=20200101", file.toString());
    try (Connection c = ds.get().getConnection();
        Statement s = c.createStatement()) {
      objects.store(Files.readAllBytes(file));
      // keep it PENDING: its only copy is the cache file
      s.executeUpdate(
          "update instance set blob_next_attempt_at = '9999-01-01' where sop_instance_uid = '"
              + sop
              + "'");
    }

    assertThat(job.run(NOW).moved()).isZero();
    assertThat(tiers.instanceTiers(study).values()).containsOnly("HOT");
  }
}
