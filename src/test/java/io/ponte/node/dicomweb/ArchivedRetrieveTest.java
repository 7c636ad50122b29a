package io.ponte.node.dicomweb;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.ponte.node.index.TierIndex;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.CacheEvictor;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.TierPolicyJob;
import io.ponte.node.storage.blob.AzureBlobStore;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.RehydrationDelay;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * WADO-RS of a study held only in the Archive tier (evicted from the cache, blobs archived on the
 * real Azurite): the first retrieves start a rehydration and answer 202 with Retry-After and a
 * problem document saying when, never a part of the study; once the (simulated, 2 s) rehydration is
 * over the retrieve answers the whole study, and the index records it Hot again. The node's
 * availability answer to the hub follows each step: online, archived, being restored (until when
 * the 202 said), online again; asking it starts no restore.
 */
@QuarkusTest
@TestProfile(NodeStorageTestProfile.class)
class ArchivedRetrieveTest {

  private static final String DICOM_ANY =
      "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
  private static final String FRAMES =
      "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";

  @Inject InstanceStore store;

  @Inject BlobUploadWorker uploads;

  @Inject CacheEvictor evictor;

  @Inject TierPolicyJob tierJob;

  @Inject TierIndex tiers;

  @Inject NodeStorage storage;

  // Looked up lazily, as the index does: a hub-profile boot of the same test classes has no node
  // DB.
  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> ds;

  @Test
  void answers202UntilTheArchivedStudyIsRehydratedThenTheWholeStudy() throws Exception {
    Path dir = Files.createTempDirectory(Paths.get("target"), "archived-");
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    Map<String, String> sha = new TreeMap<>();
    for (int i = 0; i < 3; i++) {
      String sop = DicomTestFiles.newUid();
      Path file = DicomTestFiles.ct(dir, study, series, sop, 4096 + i, 20 + i);
      sha.put(sop, DicomTestFiles.sha256(file));
      try (InputStream in = Files.newInputStream(file)) {
        store.storePart10(new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1"), in);
      }
    }
    while (uploads.uploadDue() > 0) {
      // everything in Blob, so the cache may let go of it
    }
    evictor.evictTo(0);
    try (Connection c = ds.get().getConnection();
        Statement s = c.createStatement()) {
      // only this study is due for the policy run below
      s.executeUpdate("update study set tier_due_at = '9999-01-01'");
      s.executeUpdate(
          "update study set tier_due_at = null where study_instance_uid = '" + study + "'");
    }
    assertThat(availability(study).getString("state")).isEqualTo("ONLINE");
    // StudyDate 2026-01-15: archived three years on
    tierJob.run(Instant.parse("2029-02-01T00:00:00Z"));
    assertThat(tiers.instanceTiers(study).values()).containsOnly("ARCHIVE");
    assertThat(availability(study).getString("state")).isEqualTo("ARCHIVED");
    assertThat(availability(study).getString("state"))
        .as("asking twice started no restore")
        .isEqualTo("ARCHIVED");
    // a thumbnail (the hub's timeline asks one per prior) is a placeholder: it starts no restore
    asHub()
        .accept("image/jpeg")
        .get("/dicomweb/studies/" + study + "/thumbnail")
        .then()
        .statusCode(200)
        .contentType("image/jpeg")
        .header("Warning", containsString("archived"));
    assertThat(availability(study).getString("state"))
        .as("a thumbnail started no restore")
        .isEqualTo("ARCHIVED");
    // The same Azurite store, its simulated rehydration on a clock this test moves.
    AtomicReference<Instant> blobNow = new AtomicReference<>(Instant.now());
    BlobStore original = storage.blobStore();
    storage.useBlobStore(
        new AzureBlobStore(
            storage.config().blobConnectionString(),
            storage.containerName(),
            RehydrationDelay.simulated(Duration.ofSeconds(2), clock(blobNow))));
    try {
      retrieveOnceRestored(study, series, sha, blobNow);
    } finally {
      storage.useBlobStore(original);
    }
  }

  private void retrieveOnceRestored(
      String study, String series, Map<String, String> sha, AtomicReference<Instant> blobNow)
      throws Exception {

    Response first = asHub().accept(DICOM_ANY).get("/dicomweb/studies/" + study);
    first
        .then()
        .statusCode(202)
        .contentType(containsString("application/problem+json"))
        .body("code", equalTo("ponte:being-restored"))
        .body("detail", containsString("being restored"));
    int retryAfter = Integer.parseInt(first.header("Retry-After"));
    assertThat(retryAfter).isBetween(1, 2);
    Instant availableAt = Instant.parse(first.jsonPath().getString("availableAt"));
    assertThat(availableAt).isAfter(Instant.now().minusSeconds(5));
    io.restassured.path.json.JsonPath restoring = availability(study);
    assertThat(restoring.getString("state")).isEqualTo("RESTORING");
    assertThat(Instant.parse(restoring.getString("expectedAt")))
        .isCloseTo(availableAt, within(1, ChronoUnit.SECONDS));
    // a series, an instance and frames of it wait the same way; nothing partial is sent
    String sop = sha.keySet().iterator().next();
    asHub()
        .accept(DICOM_ANY)
        .get("/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop)
        .then()
        .statusCode(202)
        .body("code", equalTo("ponte:being-restored"));
    asHub()
        .accept(FRAMES)
        .get("/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop + "/frames/1")
        .then()
        .statusCode(202);

    // the rehydration completes (for Blob); the node asks again once the expected wait is over
    blobNow.set(blobNow.get().plus(Duration.ofHours(1)));
    Response done = first;
    long deadline = System.currentTimeMillis() + 30_000;
    while (done.statusCode() == 202 && System.currentTimeMillis() < deadline) {
      Thread.sleep(1000L * Integer.parseInt(done.header("Retry-After")));
      done = asHub().accept(DICOM_ANY).get("/dicomweb/studies/" + study);
    }
    done.then().statusCode(200);
    assertThat(
            MultipartParts.parse(done.contentType(), done.asByteArray()).stream()
                .map(p -> DicomTestFiles.sha256(p.body()))
                .toList())
        .containsExactlyInAnyOrderElementsOf(sha.values());
    assertThat(tiers.instanceTiers(study).values()).containsOnly("HOT");
    assertThat(tiers.studyTier(study)).isEqualTo("HOT");
    assertThat(availability(study).getString("state")).isEqualTo("ONLINE");
  }

  @Test
  void availabilityIsTheHubsAloneAndNamesOnlyTheStudiesHeldHere() {
    String unknown = DicomTestFiles.newUid();
    asHub()
        .get("/dicomweb/availability?study=" + unknown)
        .then()
        .statusCode(200)
        .body("size()", equalTo(0));
    asHub().get("/dicomweb/availability?study=1.2.x").then().statusCode(400);
    // naming no study: the hub's check that the node answers
    asHub().get("/dicomweb/availability").then().statusCode(200).body("size()", equalTo(0));
    StringBuilder tooMany = new StringBuilder("/dicomweb/availability?study=1.2.0");
    for (int i = 1; i <= StudyAvailabilityResource.MAX_STUDIES; i++) {
      tooMany.append("&study=1.2.").append(i);
    }
    asHub().get(tooMany.toString()).then().statusCode(400);
    given()
        .auth()
        .oauth2(Tokens.client("hospital-a-ingest"))
        .get("/dicomweb/availability?study=" + unknown)
        .then()
        .statusCode(403);
    given().get("/dicomweb/availability?study=" + unknown).then().statusCode(401);
  }

  /** The node's availability answer for the study, as the hub reads it. */
  private static io.restassured.path.json.JsonPath availability(String study) {
    return asHub()
        .get("/dicomweb/availability?study=" + study)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .setRootPath("'" + study + "'");
  }

  private static Clock clock(AtomicReference<Instant> now) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
  }

  private static io.restassured.specification.RequestSpecification asHub() {
    return given().auth().oauth2(Tokens.client("ponte-hub"));
  }
}
