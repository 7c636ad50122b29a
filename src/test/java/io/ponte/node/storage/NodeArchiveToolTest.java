package io.ponte.node.storage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.index.InstanceIndex;
import io.ponte.node.index.TierIndex;
import io.ponte.node.storage.blob.BlobTier;
import io.ponte.node.storage.blob.TierStatus;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ponte node archive} ({@link NodeArchiveTool}) on the real PostgreSQL and Azurite: a study
 * whose every instance is in Blob goes to the Archive tier (its blobs as Blob reports them, the
 * index as the tier policy marks it) and loses its cache copy, so that it is archived-only, what
 * the hub's timeline shows as "archived"; another study is untouched; a second run changes nothing.
 * An unknown study and a study with an instance still waiting for its upload are refused with a
 * reason, a non-zero status and nothing changed.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class NodeArchiveToolTest {

  private static final IngestSource STOW =
      new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");

  @Inject NodeArchiveTool tool;

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject TierIndex tiers;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploads;

  @Inject Scheduler scheduler;

  @Test
  void archivesAStudyHeldInBlobAndDropsItsCacheCopy() throws Exception {
    List<String> study = storeStudy(3);
    List<String> other = storeStudy(1);
    awaitUploaded(study);
    awaitUploaded(other);
    List<Path> cached = new ArrayList<>();
    for (String sop : study.subList(1, study.size())) {
      cached.add(storage.layout().resolve(index.find(sop).orElseThrow().cachePath()));
    }
    assertThat(cached).allMatch(Files::exists);
    assertThat(availability(study.get(0))).isEqualTo("ONLINE");

    Run run = archive("--study", study.get(0), "--by", "test");

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("3 instances (")
        .contains("moved to the Archive tier")
        .contains("cache copy removed")
        .contains("is archived: all 3 instances held only in the Archive tier");
    assertThat(tiers.instanceTiers(study.get(0)).values()).hasSize(3).containsOnly("ARCHIVE");
    assertThat(tiers.studyTier(study.get(0))).isEqualTo("ARCHIVE");
    TierIndex.ArchivedOnly archived = tiers.archivedOnly(List.of(study.get(0))).get(study.get(0));
    assertThat(archived.instances()).isEqualTo(3);
    assertThat(archived.rehydrating()).as("archiving starts no restore").isZero();
    for (String sop : study.subList(1, study.size())) {
      InstanceIndex.Row row = index.find(sop).orElseThrow();
      assertThat(row.cachePath()).isNull();
      TierStatus blob = storage.blobStore().tier(row.blobName());
      assertThat(blob.tier()).isEqualTo(BlobTier.ARCHIVE);
      assertThat(blob.online()).isFalse();
    }
    assertThat(cached).noneMatch(Files::exists);
    assertThat(availability(study.get(0))).isEqualTo("ARCHIVED");

    // only the study named
    assertThat(tiers.instanceTiers(other.get(0)).values()).containsOnly("HOT");
    assertThat(index.find(other.get(1)).orElseThrow().cachePath()).isNotNull();
    assertThat(availability(other.get(0))).isEqualTo("ONLINE");

    Run again = archive("--study", study.get(0), "--by", "test");
    assertThat(again.exit()).as(again.out()).isZero();
    assertThat(again.out())
        .contains("already in the Archive tier")
        .contains("no cache copy to remove")
        .contains("is archived");
  }

  @Inject TierPolicyJob tierJob;

  /**
   * The serving node's tier job decided on Cool for a study that an operator's {@code ponte node
   * archive} (another process) archived before the job moved it: the job's move, made under the
   * study's lock, leaves it archived (its blobs would otherwise go back to Cool, which on Azure
   * starts a rehydration, and the index would call the study Cool).
   */
  @Test
  void aTierRunThatDecidedOnCoolBeforeTheStudyWasArchivedLeavesItArchived() throws Exception {
    List<String> study = storeStudy(2);
    awaitUploaded(study);
    assertThat(archive("--study", study.get(0), "--by", "test").exit()).isZero();

    TierPolicyJob.Moved moved =
        tierJob.move(study.get(0), BlobTier.COOL, java.time.Instant.now(), 100);

    assertThat(moved.instances()).isZero();
    assertThat(tiers.studyTier(study.get(0))).isEqualTo("ARCHIVE");
    assertThat(tiers.instanceTiers(study.get(0)).values()).containsOnly("ARCHIVE");
    for (String sop : study.subList(1, study.size())) {
      assertThat(storage.blobStore().tier(index.find(sop).orElseThrow().blobName()).tier())
          .isEqualTo(BlobTier.ARCHIVE);
    }
  }

  @Test
  void refusesAnUnknownStudy() throws Exception {
    String unknown = DicomTestFiles.newUid();
    Run run = archive("--study", unknown, "--by", "test");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("study " + unknown + " refused").contains("no such study");
    assertThat(tiers.studyTier(unknown)).isNull();
  }

  @Test
  void refusesAStudyWithAnInstanceNotYetInBlobAndChangesNothing() throws Exception {
    List<String> study = storeStudy(1);
    awaitUploaded(study);
    String tierBefore = tiers.studyTier(study.get(0));
    String pending;
    // No upload run while the second instance is stored and the command runs: it stays PENDING.
    scheduler.pause();
    try {
      uploads.uploadDue(); // waits for a run already under way (the worker runs one at a time)
      pending = storeInstance(study.get(0));
      assertThat(index.find(pending).orElseThrow().blobState()).isEqualTo(InstanceIndex.PENDING);

      Run run = archive("--study", study.get(0), "--by", "test");

      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.out())
          .contains("study " + study.get(0) + " refused")
          .contains("1 of its 2 instances are not yet in Blob")
          .contains("nothing changed");
      assertThat(tiers.instanceTiers(study.get(0)).values()).hasSize(2).containsOnly("HOT");
      assertThat(tiers.studyTier(study.get(0))).isEqualTo(tierBefore);
      InstanceIndex.Row uploaded = index.find(study.get(1)).orElseThrow();
      assertThat(uploaded.cachePath()).isNotNull();
      assertThat(Files.exists(storage.layout().resolve(uploaded.cachePath()))).isTrue();
      assertThat(storage.blobStore().tier(uploaded.blobName()).tier()).isEqualTo(BlobTier.HOT);
      assertThat(index.find(pending).orElseThrow().cachePath()).isNotNull();
      assertThat(availability(study.get(0))).isEqualTo("ONLINE");
    } finally {
      scheduler.resume();
    }
    // once the upload is done the same command archives it
    awaitUploaded(List.of(study.get(0), pending));
    Run later = archive("--study", study.get(0), "--by", "test");
    assertThat(later.exit()).as(later.out()).isZero();
    assertThat(later.out()).contains("is archived: all 2 instances");
  }

  @Test
  void refusesMissingArguments() throws Exception {
    assertThat(archive("--by", "test").exit()).isEqualTo(2);
    assertThat(archive("--study", "1.2.3").exit()).isEqualTo(2);
  }

  /**
   * A new study of {@code instances} instances: its Study Instance UID, then its SOP Instance UIDs.
   */
  private List<String> storeStudy(int instances) throws Exception {
    List<String> uids = new ArrayList<>(List.of(DicomTestFiles.newUid()));
    for (int i = 0; i < instances; i++) {
      uids.add(storeInstance(uids.get(0)));
    }
    return uids;
  }

  /** Stores one more instance of {@code study} (a series of its own); its SOP Instance UID. */
  private String storeInstance(String study) throws Exception {
    Path dir = Files.createTempDirectory(Paths.get("target"), "archive-tool-");
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, DicomTestFiles.newUid(), sop, 4096, sop.hashCode());
    try (InputStream in = Files.newInputStream(file)) {
      store.storePart10(STOW, in);
    }
    return sop;
  }

  /** Waits until the instances of {@code uids} (after the Study Instance UID) are in Blob. */
  private void awaitUploaded(List<String> uids) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    for (String sop : uids.subList(1, uids.size())) {
      while (!InstanceIndex.UPLOADED.equals(index.find(sop).orElseThrow().blobState())) {
        assertThat(System.currentTimeMillis()).as("uploaded within 30 s").isLessThan(deadline);
        uploads.uploadDue();
        Thread.sleep(100);
      }
    }
  }

  private record Run(int exit, String out) {}

  private Run archive(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      exit = tool.run(List.of(args), out);
    }
    return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
  }

  /** The node's availability answer for {@code study}, as the hub's timeline reads it. */
  private static String availability(String study) {
    return given()
        .auth()
        .oauth2(Tokens.client("ponte-hub"))
        .get("/dicomweb/availability?study=" + study)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getString("'" + study + "'.state");
  }
}
