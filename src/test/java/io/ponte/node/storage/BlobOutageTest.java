package io.ponte.node.storage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import io.agroal.api.AgroalDataSource;
import io.ponte.node.index.CacheIndex;
import io.ponte.node.index.InstanceIndex;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.Management;
import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.TcpForwarder;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob is down (its endpoint is a closed port) while instances arrive: they are acknowledged from
 * the durable cache, kept PENDING and never evicted, and the node stays ready (a full cache volume,
 * not Blob, takes it out of service); once Blob is reachable the retries upload them, and only then
 * may the cache let them go, after which reads come from Blob.
 */
@QuarkusTest
@TestProfile(BlobOutageTest.BlobDownProfile.class)
class BlobOutageTest {

  static final int BLOB_PORT = FreePorts.next();

  public static class BlobDownProfile extends NodeStorageTestProfile {
    @Override
    protected String suffix() {
      return "-outage";
    }

    @Override
    protected Map<String, String> extra() {
      // Its own database too: the other profile's PENDING rows point into another cache directory.
      return Map.of(
          "ponte.node.storage.blob-connection-string",
          NodeStorageConfig.AZURITE.replace("127.0.0.1:10000", "127.0.0.1:" + BLOB_PORT),
          "quarkus.datasource.node.jdbc.url",
          TestDatabases.url("ponte_node_outage_test"));
    }
  }

  @Inject NodeStorage storage;

  @Inject InstanceIndex index;

  @Inject CacheIndex cache;

  @Inject BlobUploadWorker uploader;

  @Inject CacheEvictor evictor;

  @Inject InstanceReader reader;

  @Inject
  @DataSource("node")
  AgroalDataSource ds;

  @Inject InstanceStore store;

  @Inject CacheVolume volume;

  @TempDir Path dir;

  /** A cache volume with {@code usable} of {@code total} bytes free. */
  private static CacheVolume.Space space(long usable, long total) {
    return new CacheVolume.Space() {
      @Override
      public long usableBytes() {
        return usable;
      }

      @Override
      public long totalBytes() {
        return total;
      }
    };
  }

  @Test
  void acknowledgesWhileBlobIsDownRetriesLaterAndEvictsOnlyWhatIsSafe() throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 60_000, 1);
    byte[] bytes = Files.readAllBytes(file);

    // Acknowledged although Blob is unreachable: the local write is what makes it durable.
    DicomTestFiles.Multipart body = DicomTestFiles.multipart(List.of(bytes));
    given()
        .auth()
        .oauth2(Tokens.client("hospital-a-ingest"))
        .contentType(body.contentType())
        .body(body.body())
        .post("/dicomweb/studies")
        .then()
        .statusCode(200);
    Path cached = storage.layout().resolve(index.find(sop).orElseThrow().cachePath());

    // Upload attempts fail and back off; the instance stays PENDING.
    long deadline = System.currentTimeMillis() + 20_000;
    while (index.find(sop).orElseThrow().blobAttempts() < 2) {
      assertThat(System.currentTimeMillis())
          .as("two failed attempts within 20 s")
          .isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(index.find(sop).orElseThrow().blobState()).isEqualTo(InstanceIndex.PENDING);
    // Blob down does not take the node out of service: it still ingests and serves its cache.
    // Readiness stays UP and shows the Blob state and the backlog as data.
    given()
        .get(Management.url("/q/health/ready"))
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'node-storage' }.data.blob", equalTo("unreachable"))
        .body(
            "checks.find { it.name == 'node-storage' }.data.uploadBacklog", greaterThanOrEqualTo(1))
        .body(
            "checks.find { it.name == 'node-storage' }.data.cacheVolumeTotalBytes", notNullValue());

    // A full cache volume is what takes it out of service: below min-free-space (2 %).
    volume.use(space(1_000, 100_000));
    try {
      given()
          .get(Management.url("/q/health/ready"))
          .then()
          .statusCode(503)
          .body("checks.find { it.name == 'node-storage' }.data.cacheVolumeUsableBytes", is(1000))
          .body("checks.find { it.name == 'node-storage' }.data.cacheVolumeMinFreeBytes", is(2000));
      volume.use(space(3_000, 100_000));
      given().get(Management.url("/q/health/ready")).then().statusCode(200);
    } finally {
      volume.use(null);
    }

    // Even a cache bound of zero keeps a PENDING instance: its cache file is the only copy.
    evictor.evictTo(0);
    assertThat(cached).exists();
    assertThat(index.find(sop).orElseThrow().cachePath()).isNotNull();

    // A cache file lost before its upload is healed by the sender's identical retry, which is
    // then acknowledged as stored (the copy it duplicates was not there).
    Files.delete(cached);
    assertThat(
            store
                .storePart10(DurableInstanceStoreTest.STOW, new ByteArrayInputStream(bytes))
                .duplicate())
        .isFalse();
    assertThat(DicomTestFiles.sha256(cached)).isEqualTo(DicomTestFiles.sha256(bytes));

    try (TcpForwarder blob = new TcpForwarder(BLOB_PORT, "127.0.0.1", 10000)) {
      blob.start();
      deadline = System.currentTimeMillis() + 30_000;
      while (!InstanceIndex.UPLOADED.equals(index.find(sop).orElseThrow().blobState())) {
        assertThat(System.currentTimeMillis())
            .as("uploaded within 30 s of Blob's return")
            .isLessThan(deadline);
        Thread.sleep(200);
      }
      given().get(Management.url("/q/health/ready")).then().statusCode(200);

      evictor.evictTo(0);
      assertThat(cached).doesNotExist();
      assertThat(index.find(sop).orElseThrow().cachePath()).isNull();

      InstanceReader.Opened opened = reader.open(sop).orElseThrow();
      assertThat(opened.fromCache()).isFalse();
      try (InputStream in = opened.content()) {
        assertThat(DicomTestFiles.sha256(in)).isEqualTo(DicomTestFiles.sha256(bytes));
      }

      // Least recently accessed first: the study read first is evicted, the one read last stays.
      String readLast = storeStudy("read-last");
      String readFirst = storeStudy("read-first");
      awaitUploaded(readLast);
      awaitUploaded(readFirst);
      // Both set as accessed an hour ago: a receipt counts as an access, and a retrieve rewrites an
      // access time only once it is older than the granularity (a minute).
      markAccessedAnHourAgo(readLast, readFirst);
      Thread.sleep(20);
      assertThat(
              reader.recordAccess(
                  index.find(readFirst).orElseThrow().studyInstanceUid(), null, null))
          .isEqualTo(1);
      Thread.sleep(20);
      assertThat(
              reader.recordAccess(
                  index.find(readLast).orElseThrow().studyInstanceUid(), null, null))
          .isEqualTo(1);
      long readFirstSize = index.find(readFirst).orElseThrow().size();
      evictor.evictTo(cache.cachedBytes() - readFirstSize);
      assertThat(index.find(readFirst).orElseThrow().cachePath()).isNull();
      assertThat(index.find(readLast).orElseThrow().cachePath()).isNotNull();

      // Free space, not only the size bound: far under max-cache-bytes, but the volume has one byte
      // less free than its target (10 %), so the evictor frees the least recently used study.
      volume.use(space(100_000, 1_000_000));
      try {
        assertThat(evictor.evict()).as("volume at its target: nothing to free").isZero();
        volume.use(space(100_000 - 1, 1_000_000));
        assertThat(evictor.evict()).isPositive();
      } finally {
        volume.use(null);
      }
      assertThat(index.find(readLast).orElseThrow().cachePath()).isNull();
    }
  }

  /** Sets the instances' access time an hour back (older than the access granularity). */
  private void markAccessedAnHourAgo(String... sops) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "update instance set last_accessed_at = now() - interval '1 hour'"
                    + " where sop_instance_uid = any (?)")) {
      st.setArray(1, c.createArrayOf("text", sops));
      st.executeUpdate();
    }
  }

  /** Stores a one-instance study through the store; returns its SOP Instance UID. */
  private String storeStudy(String label) throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file =
        DicomTestFiles.ct(
            dir.resolve(label),
            DicomTestFiles.newUid(),
            DicomTestFiles.newUid(),
            sop,
            20_000,
            label.hashCode());
    try (InputStream in = Files.newInputStream(file)) {
      store.storePart10(DurableInstanceStoreTest.STOW, in);
    }
    return sop;
  }

  private void awaitUploaded(String sop) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!InstanceIndex.UPLOADED.equals(index.find(sop).orElseThrow().blobState())) {
      assertThat(System.currentTimeMillis()).as("uploaded within 30 s").isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
