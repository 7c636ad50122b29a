package io.ponte.node.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.ponte.node.dicomweb.MultipartParts;
import io.ponte.node.storage.NodeStorageConfig;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TestDatabases;
import io.ponte.testing.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disaster recovery as an operator runs it, with the packaged jar, real PostgreSQL and Azurite: a
 * node ingests two studies (STOW-RS) and uploads them; its database is dropped and created empty,
 * its cache volume lost; {@code ponte node rebuild-index} indexes the container again (a non-DICOM
 * object in it reported and skipped), a rerun changes nothing, the studies are queued for
 * publication with the very ImagingStudy published before the loss (so the hub's conditional update
 * finds its content unchanged), and the node, started on the rebuilt index, serves every instance
 * by WADO-RS byte for byte.
 */
@DisplayName("drop the node database, rebuild the index from Blob, retrieve everything")
class RebuildIndexIT {

  private static final String SITE = "hospital-a";
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String CONTAINER = "ponte-rebuild-it-" + RUN;
  private static final String DICOM_ANY =
      "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;

  static String database;

  /** Part 10 files per study UID; SOP Instance UID to SHA-256 and to its study and series. */
  static final Map<String, List<Path>> studies = new HashMap<>();

  static final Map<String, String> sha256 = new HashMap<>();
  static final Map<String, String[]> location = new HashMap<>();

  @BeforeAll
  static void makeStudies() throws Exception {
    database = "ponte_node_rebuild_it_" + RUN;
    for (int s = 0; s < 2; s++) {
      String study = DicomTestFiles.newUid();
      String series = DicomTestFiles.newUid();
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < 3 + s; i++) {
        String sop = DicomTestFiles.newUid();
        // The low 16 bits of the seed make PatientID and AccessionNumber: one per study, as a
        // modality writes them (a study row takes them from whichever instance is indexed first).
        long seed = ((long) (i + 1) << 16) | s;
        Path file = DicomTestFiles.ct(dir, study, series, sop, 30_000 + 10_000 * i, seed);
        files.add(file);
        sha256.put(sop, DicomTestFiles.sha256(file));
        location.put(sop, new String[] {study, series});
      }
      studies.put(study, files);
    }
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    try (Connection admin = admin();
        Statement st = admin.createStatement()) {
      st.execute("drop database if exists \"" + databaseName() + "\" with (force)");
    }
    container().deleteIfExists();
  }

  @Test
  void everyInstanceIsRetrievableAndIdenticalAfterTheIndexIsRebuiltFromBlob() throws Exception {
    Map<String, String> publishedBefore;
    try (PonteProcess node = node("before").start()) {
      for (List<Path> files : studies.values()) {
        DicomTestFiles.Multipart body = DicomTestFiles.multipartOfFiles(files);
        HttpResponse<String> stored =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(node.baseUrl() + "/dicomweb/studies"))
                    .header("Authorization", "Bearer " + Tokens.client("hospital-a-ingest"))
                    .header("Content-Type", body.contentType())
                    .header("Accept", "application/dicom+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.body()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
      }
      publishedBefore = awaitUploadedAndBuilt();
    }
    assertThat(publishedBefore).hasSize(2);

    // The disaster: the database is gone (created empty again) and so is the cache volume.
    String name = databaseName(); // (creates the database when absent: asked before the drop)
    try (Connection admin = admin();
        Statement st = admin.createStatement()) {
      st.execute("drop database \"" + name + "\" with (force)");
      st.execute("create database \"" + name + "\"");
    }
    container()
        .getBlobClient("notes/readme.txt")
        .upload(BinaryData.fromString("not an image: left here by someone"));

    PonteProcess.Builder tool = node("after");
    PonteProcess.Builder.Run rebuilt =
        tool.run(Duration.ofMinutes(3), "node", "rebuild-index", "--site", SITE);
    assertThat(rebuilt.exitCode()).as(rebuilt.output()).isEqualTo(1);
    assertThat(rebuilt.output())
        .contains("unreadable: notes/readme.txt: not a DICOM Part 10 object")
        .contains("objects 8, already indexed 0, indexed 7, unreadable 1, failed 0")
        .contains("studies queued for publication to the hub: 2");

    Map<String, String[]> rows = instances();
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(sha256.keySet());
    for (Map.Entry<String, String[]> row : rows.entrySet()) {
      assertThat(row.getValue()[0]).isEqualTo(sha256.get(row.getKey()));
      assertThat(row.getValue()[1]).as("held in Blob only").isEqualTo("UPLOADED");
      assertThat(row.getValue()[2]).isNull();
    }
    assertThat(outbox())
        .as("queued with the content published before the loss: the hub's update is a no-op")
        .isEqualTo(publishedBefore);

    PonteProcess.Builder.Run again =
        tool.run(Duration.ofMinutes(3), "node", "rebuild-index", "--site", SITE);
    assertThat(again.output())
        .contains("objects 8, already indexed 7, indexed 0, unreadable 1, failed 0")
        .contains("studies queued for publication to the hub: 0");
    assertThat(instances()).hasSize(rows.size());

    try (PonteProcess node = tool.start()) {
      for (String study : studies.keySet()) {
        HttpResponse<byte[]> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(node.baseUrl() + "/dicomweb/studies/" + study))
                    .header("Authorization", "Bearer " + Tokens.client("ponte-hub"))
                    .header("Accept", DICOM_ANY)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        List<String> served =
            MultipartParts.parse(r.headers().firstValue("Content-Type").orElseThrow(), r.body())
                .stream()
                .map(p -> DicomTestFiles.sha256(p.body()))
                .toList();
        List<String> expected = new ArrayList<>();
        for (Path file : studies.get(study)) {
          expected.add(DicomTestFiles.sha256(file));
        }
        assertThat(served).containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }

  /** The node's settings before and after: the same container, a cache of its own each time. */
  private static PonteProcess.Builder node(String phase) {
    return PonteProcess.node(SITE, database)
        .property("ponte.node.storage.blob-container", CONTAINER)
        .property("ponte.node.storage.upload-interval", "1s")
        .property("ponte.node.dimse.enabled", "false")
        .property("ponte.node.publish.quiet-period", "1s")
        .property("ponte.node.publish.poll-interval", "1s")
        // No hub in this test: publications stay queued, which is what is checked.
        .property("ponte.node.publish.hub-url", "http://127.0.0.1:" + FreePorts.next())
        .property("ponte.node.fixity.enabled", "false")
        .env(
            "PONTE_NODE_CACHE_DIR",
            Paths.get("target", "it-cache", "rebuild-" + RUN + "-" + phase)
                .toAbsolutePath()
                .toString());
  }

  /** Study UID to the SHA-256 of its queued ImagingStudy, once every instance is uploaded. */
  private static Map<String, String> awaitUploadedAndBuilt() throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (true) {
      Map<String, String[]> rows = instances();
      boolean uploaded =
          rows.size() == sha256.size()
              && rows.values().stream().allMatch(r -> "UPLOADED".equals(r[1]));
      Map<String, String> built = outbox();
      if (uploaded && built.size() == studies.size() || System.currentTimeMillis() > deadline) {
        assertThat(uploaded).as("every instance uploaded").isTrue();
        assertThat(built.keySet()).containsExactlyInAnyOrderElementsOf(studies.keySet());
        return built;
      }
      Thread.sleep(500);
    }
  }

  /** sop -> {sha256, blob state, cache path} */
  private static Map<String, String[]> instances() throws SQLException {
    Map<String, String[]> rows = new HashMap<>();
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select sop_instance_uid, sha256, blob_state, cache_path from instance")) {
      while (rs.next()) {
        rows.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
      }
    }
    return rows;
  }

  private static Map<String, String> outbox() throws SQLException {
    Map<String, String> rows = new HashMap<>();
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                // Built from the study's latest instance: a build from part of a study (the quiet
                // period passed mid-request) is rebuilt, and is not the content to compare.
                "select o.study_instance_uid, o.content_sha256 from publication_outbox o"
                    + " join study s on s.study_instance_uid = o.study_instance_uid"
                    + " where o.payload is not null"
                    + " and o.built_for_received_at >= s.last_received_at")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getString(2));
      }
    }
    return rows;
  }

  private static Connection connect() throws SQLException {
    return TestDatabases.asOwner(database);
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(TestDatabases.SERVER + "postgres", "postgres", "");
  }

  private static String databaseName() {
    String url = TestDatabases.url(database);
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private static BlobContainerClient container() {
    return new BlobServiceClientBuilder()
        .connectionString(NodeStorageConfig.AZURITE)
        .buildClient()
        .getBlobContainerClient(CONTAINER);
  }
}
