package io.ponte.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.FileMetaReader;
import io.ponte.dicom.Tag;
import io.ponte.node.storage.NodeStorageConfig;
import io.ponte.testing.Dcmtk;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.Orthanc;
import io.ponte.testing.Peers;
import io.ponte.testing.PonteProcess;
import io.ponte.testing.TestDatabases;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The packaged {@code ponte migrate} against Orthanc from Debian as a running legacy archive, into
 * a node with PostgreSQL and Azurite: from {@code dimse://} by C-GET and by C-MOVE, and from {@code
 * dicomweb+http://}. Every instance arrives once, byte-identical to what the archive holds (the
 * whole file by WADO-RS; the data set by DIMSE, which carries no file meta), uploaded and verified;
 * a second run moves nothing, a third moves only an instance added since; a source that is
 * unreachable, refuses our AE title, or answers 401/404 stops the command with a clear error.
 */
@DisplayName("ponte migrate from a running PACS (DIMSE) and a DICOMweb archive (Orthanc)")
class MigrateRemoteSourcesIT {

  private static final String SITE = "hospital-a";
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String AET = "LEGACY_PACS";
  private static final String OUR_AET = "PONTE_MIGRATE";
  private static final int MOVE_PORT = PonteProcess.Builder.freePort();

  @TempDir static Path scratch;

  static Orthanc orthanc;

  /** Orthanc's stored file by SOP Instance UID. */
  static final Map<String, byte[]> archived = new HashMap<>();

  static final List<String> databases = new ArrayList<>();

  @BeforeAll
  static void startArchive() throws Exception {
    Peers.require(
        Orthanc.installedWithDicomWeb(), "Orthanc with its DICOMweb plugin (Debian: orthanc)");
    Dcmtk.require("storescu");
    orthanc = archive(scratch.resolve("orthanc"), AET).start();
    // Three studies: 2 series x 2 instances, 3 instances, 1 instance; sizes 10-60 KB.
    List<Path> files = new ArrayList<>();
    int[][] shape = {{2, 2}, {1, 3}, {1, 1}};
    int n = 0;
    for (int[] s : shape) {
      String study = DicomTestFiles.newUid();
      for (int series = 0; series < s[0]; series++) {
        String seriesUid = DicomTestFiles.newUid();
        for (int i = 0; i < s[1]; i++) {
          files.add(
              DicomTestFiles.ct(
                  scratch.resolve("made"),
                  study,
                  seriesUid,
                  DicomTestFiles.newUid(),
                  10_000 + 10_000 * (n % 6),
                  n));
          n++;
        }
      }
    }
    // One patient per study (ct() derives the Patient ID from the seed): Orthanc keys a study by
    // Patient ID and Study Instance UID, and would list one study per patient otherwise.
    for (Path f : files) {
      DicomTestFiles.run("dcmodify", "-nb", "-m", "(0010,0020)=" + patientOf(f), f.toString());
    }
    orthanc.storescu("MODALITY", AET, files);
    readArchive();
    assertThat(archived).hasSize(files.size());
  }

  private static String patientOf(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      io.ponte.dicom.DicomInputStream dicom = new io.ponte.dicom.DicomInputStream(in);
      dicom.readFileMetaInformation();
      return "PAT-"
          + Math.abs(dicom.readDatasetUntilPixelData().getString(Tag.StudyInstanceUID).hashCode());
    }
  }

  /**
   * The legacy archive: checks its called AE title, lets us query and retrieve (C-MOVE to our own
   * port), and serves DICOMweb.
   */
  private static Orthanc.Builder archive(Path dir, String aeTitle) {
    return Orthanc.builder(dir)
        .aeTitle(aeTitle)
        .checkCalledAeTitle()
        .dicomWeb()
        .modality("migrate", OUR_AET, MOVE_PORT);
  }

  private static void readArchive() throws Exception {
    archived.clear();
    for (String id : orthanc.instanceIds()) {
      byte[] file = orthanc.file(id);
      Attributes meta = FileMetaReader.read(new ByteArrayInputStream(file));
      archived.put(meta.getString(Tag.MediaStorageSOPInstanceUID).trim(), file);
    }
  }

  @AfterAll
  static void cleanUp() throws SQLException {
    if (orthanc != null) {
      orthanc.close();
    }
    try (Connection admin =
            DriverManager.getConnection(TestDatabases.SERVER + "postgres", "postgres", "");
        Statement st = admin.createStatement()) {
      for (String database : databases) {
        String url = TestDatabases.url(database);
        st.execute(
            "drop database if exists \""
                + url.substring(url.lastIndexOf('/') + 1)
                + "\" with (force)");
        container(database).deleteIfExists();
      }
    }
  }

  private static BlobContainerClient container(String database) {
    return new BlobServiceClientBuilder()
        .connectionString(NodeStorageConfig.AZURITE)
        .buildClient()
        .getBlobContainerClient(database.replace('_', '-'));
  }

  /** A node of its own (database, container, cache) for one kind of source. */
  private record Node(String database, PonteProcess.Builder builder) {
    PonteProcess.Builder.Run run(Duration timeout, String... args) {
      return builder.run(timeout, args);
    }
  }

  private static synchronized Node node(String name) {
    String database = "ponte_node_migrate_" + name + "_" + RUN;
    databases.add(database);
    return new Node(
        database,
        PonteProcess.node(SITE, database)
            .property("ponte.node.storage.blob-container", database.replace('_', '-'))
            .env(
                "PONTE_NODE_CACHE_DIR",
                Paths.get("target", "it-cache", database).toAbsolutePath().toString()));
  }

  private static JsonNode migrate(Node node, int exit, String... extra) throws IOException {
    Path report = Files.createTempFile(scratch, "report", ".json");
    List<String> args =
        new ArrayList<>(
            List.of("migrate", "--site", SITE, "--report", report.toString(), "--workers", "3"));
    args.addAll(Arrays.asList(extra));
    PonteProcess.Builder.Run run = node.run(Duration.ofMinutes(2), args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.output()).isEqualTo(exit);
    return exit == 0 || exit == 1
        ? new ObjectMapper().readTree(report.toFile())
        : new ObjectMapper().createObjectNode().put("output", run.output());
  }

  private String dimse() {
    return "dimse://" + AET + "@127.0.0.1:" + orthanc.dicomPort();
  }

  @Test
  void cGetMovesEveryStudyOnceThenNothingThenCMoveOnlyWhatIsNew() throws Exception {
    Node node = node("get");
    JsonNode first = migrate(node, 0, "--from", dimse());
    int total = archived.size();
    assertThat(first.get("studies").asLong()).isEqualTo(3);
    assertThat(first.get("seen").asLong()).isEqualTo(total);
    assertThat(first.get("migrated").asLong()).isEqualTo(total);
    assertThat(first.get("unreadable").asLong()).isZero();
    assertThat(first.get("failed").asLong()).isZero();
    assertThat(first.get("verified").asLong()).isEqualTo(total);
    assertSameDatasets(node, archived);

    JsonNode second = migrate(node, 0, "--from", dimse());
    assertThat(second.get("migrated").asLong()).isZero();
    assertThat(second.get("studiesAlreadyDone").asLong()).isEqualTo(3);
    assertThat(second.get("alreadyDone").asLong()).isEqualTo(total);

    // Since then: one more instance in the study of three, and a new study of two. The third run
    // retrieves by C-MOVE to a Storage SCP of its own (the source is the same PACS, so the same
    // checkpoint): only the new instances move, the new study whole, the added one at IMAGE level.
    String study = studyOf(3);
    String patient = patientOfStudy(study);
    Path added =
        DicomTestFiles.ct(
            scratch.resolve("added"),
            study,
            DicomTestFiles.newUid(),
            DicomTestFiles.newUid(),
            12_000,
            99);
    DicomTestFiles.run("dcmodify", "-nb", "-m", "(0010,0020)=" + patient, added.toString());
    List<Path> more = new ArrayList<>(List.of(added));
    String newStudy = DicomTestFiles.newUid();
    String newSeries = DicomTestFiles.newUid();
    for (int i = 0; i < 2; i++) {
      Path f =
          DicomTestFiles.ct(
              scratch.resolve("added"),
              newStudy,
              newSeries,
              DicomTestFiles.newUid(),
              15_000,
              200 + i);
      DicomTestFiles.run("dcmodify", "-nb", "-m", "(0010,0020)=PAT-NEW", f.toString());
      more.add(f);
    }
    orthanc.storescu("MODALITY", AET, more);
    readArchive();
    JsonNode third =
        migrate(
            node,
            0,
            "--from",
            dimse(),
            "--move-dest",
            OUR_AET,
            "--move-port",
            Integer.toString(MOVE_PORT));
    assertThat(third.get("studies").asLong()).isEqualTo(4);
    assertThat(third.get("migrated").asLong()).isEqualTo(3);
    assertThat(third.get("alreadyDone").asLong()).isEqualTo(total);
    assertThat(third.get("studiesAlreadyDone").asLong()).isEqualTo(2);
    assertThat(third.get("failed").asLong()).isZero();
    assertSameDatasets(node, archived);
  }

  private static String patientOfStudy(String study) throws IOException {
    for (byte[] f : archived.values()) {
      Attributes ds = dataset(f);
      if (study.equals(ds.getString(Tag.StudyInstanceUID))) {
        return ds.getString(Tag.PatientID);
      }
    }
    throw new IllegalStateException("no study " + study);
  }

  @Test
  void dicomwebMovesEveryFileByteIdenticalAndASecondRunNothing() throws Exception {
    Node node = node("web");
    String from = "dicomweb+" + orthanc.url() + "/dicom-web";
    // A page of 2 studies: the listing must follow limit/offset to see them all.
    JsonNode first = migrate(node, 0, "--from", from, "--page-size", "2");
    Map<String, byte[]> now = new HashMap<>(archived);
    java.util.Set<String> studies = new java.util.HashSet<>();
    for (byte[] f : now.values()) {
      studies.add(dataset(f).getString(Tag.StudyInstanceUID));
    }
    // 3, or 4 once the C-GET test has added one (the tests share the archive).
    assertThat(first.get("studies").asLong()).isEqualTo(studies.size());
    assertThat(first.get("migrated").asLong()).isEqualTo(now.size());
    assertThat(first.get("failed").asLong()).isZero();
    Map<String, String[]> rows = instances(node);
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(now.keySet());
    BlobContainerClient blobs = container(node.database());
    for (Map.Entry<String, byte[]> e : now.entrySet()) {
      String[] row = rows.get(e.getKey());
      assertThat(row[2]).isEqualTo("UPLOADED");
      assertThat(row[0]).as("the archive's file, byte for byte").isEqualTo(sha(e.getValue()));
      try (InputStream in = open(blobs, row)) {
        assertThat(DicomTestFiles.sha256(in)).isEqualTo(row[0]);
      }
    }
    JsonNode second = migrate(node, 0, "--from", from, "--page-size", "2");
    assertThat(second.get("migrated").asLong()).isZero();
    assertThat(second.get("duplicates").asLong()).isZero();
    assertThat(second.get("alreadyDone").asLong()).isEqualTo(now.size());
  }

  /**
   * kill -9 of a C-GET migration mid-run (slowed to 50 KB/s so that it surely lands mid-run), then
   * the same command again: every instance of the archive once, in the index, in Blob, verified.
   */
  @Test
  void aKilledRemoteRunIsFinishedByTheNextWithEveryInstanceOnce() throws Exception {
    Node node = node("kill");
    Map<String, byte[]> now = new HashMap<>(archived);
    PonteProcess first =
        node.builder()
            .launch(
                "migrate",
                "--site",
                SITE,
                "--from",
                dimse(),
                "--workers",
                "1",
                "--bandwidth",
                "0.05",
                "--progress-interval",
                "1");
    try {
      long deadline = System.currentTimeMillis() + 120_000;
      while (count(node, "migration_file where sop_instance_uid is not null") < 1
          && System.currentTimeMillis() < deadline
          && first.isAlive()) {
        Thread.sleep(100);
      }
      assertThat(first.isAlive()).as("still migrating (log %s)", first.log()).isTrue();
    } finally {
      first.kill();
    }
    long stored = count(node, "migration_file where sop_instance_uid is not null");
    assertThat(stored).as("killed mid-run").isBetween(1L, now.size() - 1L);
    // As MigrateCrashIT: the killed run's pack claims are let expire now rather than waited out.
    try (Connection c =
            DriverManager.getConnection(TestDatabases.url(node.database()), "postgres", "");
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "update instance set blob_next_attempt_at = now() where blob_state = 'PENDING'");
    }

    JsonNode second = migrate(node, 0, "--from", dimse());
    assertThat(second.get("failed").asLong()).isZero();
    assertThat(second.get("unverified").asLong()).isZero();
    assertThat(
            second.get("alreadyDone").asLong()
                + second.get("migrated").asLong()
                + second.get("duplicates").asLong())
        .as("every instance once across the two runs")
        .isEqualTo(now.size());
    assertSameDatasets(node, now);
    assertThat(count(node, "migration_file where sop_instance_uid is not null"))
        .isEqualTo(count(node, "migration_file where verified_at is not null"))
        .isEqualTo(now.size());
    assertThat(count(node, "pack_journal")).isZero();
  }

  private static long count(Node node, String what) {
    try (Connection c =
            DriverManager.getConnection(TestDatabases.url(node.database()), "postgres", "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from " + what)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException notYet) {
      return 0;
    }
  }

  @Test
  void anUnusableSourceStopsTheCommandWithAClearError() throws Exception {
    Node node = node("bad");
    String unreachable =
        migrate(
                node,
                3,
                "--from",
                "dimse://" + AET + "@127.0.0.1:" + PonteProcess.Builder.freePort())
            .get("output")
            .asText();
    assertThat(unreachable).contains("the source cannot be used").contains("unreachable");

    String refused =
        migrate(node, 3, "--from", "dimse://NOT_THE_PACS@127.0.0.1:" + orthanc.dicomPort())
            .get("output")
            .asText();
    assertThat(refused).contains("refused the association");

    String notFound =
        migrate(node, 3, "--from", "dicomweb+" + orthanc.url() + "/no-dicom-web-here")
            .get("output")
            .asText();
    assertThat(notFound).contains("HTTP 404");

    Path token = Files.writeString(scratch.resolve("token"), "not-a-token-this-archive-takes\n");
    try (Orthanc locked =
        archive(scratch.resolve("locked"), "LOCKED").user("ponte", "secret").start()) {
      String unauthorized =
          migrate(
                  node,
                  3,
                  "--from",
                  "dicomweb+" + locked.url() + "/dicom-web",
                  "--token-file",
                  token.toString())
              .get("output")
              .asText();
      assertThat(unauthorized).contains("HTTP 401");
    }
  }

  /** The study holding {@code count} instances in the archive. */
  private static String studyOf(int count) throws IOException {
    Map<String, Integer> perStudy = new HashMap<>();
    for (byte[] file : archived.values()) {
      perStudy.merge(dataset(file).getString(Tag.StudyInstanceUID), 1, Integer::sum);
    }
    return perStudy.entrySet().stream()
        .filter(e -> e.getValue() == count)
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  private static Attributes dataset(byte[] file) throws IOException {
    io.ponte.dicom.DicomInputStream in =
        new io.ponte.dicom.DicomInputStream(new ByteArrayInputStream(file));
    in.readFileMetaInformation();
    return in.readDatasetUntilPixelData();
  }

  /**
   * Over DIMSE the data set travels without file meta, and the node writes meta of its own: the
   * data set after it must be the archive's, byte for byte.
   */
  private static void assertSameDatasets(Node node, Map<String, byte[]> expected) throws Exception {
    Map<String, String[]> rows = instances(node);
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    BlobContainerClient blobs = container(node.database());
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      String[] row = rows.get(e.getKey());
      assertThat(row[2]).as("%s uploaded", e.getKey()).isEqualTo("UPLOADED");
      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      try (InputStream in = open(blobs, row)) {
        in.transferTo(blob);
      }
      assertThat(sha(blob.toByteArray())).as("blob matches the index").isEqualTo(row[0]);
      assertThat(sha(afterMeta(blob.toByteArray())))
          .as("data set of %s", e.getKey())
          .isEqualTo(sha(afterMeta(e.getValue())));
    }
  }

  /** The bytes after the file meta: preamble, DICM, then group 2 whose length (0002,0000) says. */
  private static byte[] afterMeta(byte[] file) {
    int groupLength =
        (file[140] & 0xFF)
            | (file[141] & 0xFF) << 8
            | (file[142] & 0xFF) << 16
            | (file[143] & 0xFF) << 24;
    int start = 144 + groupLength;
    return Arrays.copyOfRange(file, start, file.length);
  }

  private static String sha(byte[] bytes) {
    return DicomTestFiles.sha256(bytes);
  }

  /** An instance's bytes in Blob: its range of its pack, or its own blob. */
  private static InputStream open(BlobContainerClient blobs, String[] row) {
    if (row[3] == null) {
      return blobs.getBlobClient(row[1]).openInputStream();
    }
    return blobs
        .getBlobClient(row[1])
        .openInputStream(new BlobRange(Long.parseLong(row[3]), Long.parseLong(row[4])), null);
  }

  /** sha256, blob name, blob state, pack offset, size by SOP Instance UID. */
  private static Map<String, String[]> instances(Node node) throws SQLException {
    Map<String, String[]> rows = new HashMap<>();
    try (Connection c =
            DriverManager.getConnection(TestDatabases.url(node.database()), "postgres", "");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select sop_instance_uid, sha256, blob_name, blob_state, pack_offset,"
                    + " size_bytes from instance")) {
      while (rs.next()) {
        rows.put(
            rs.getString(1),
            new String[] {
              rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)
            });
      }
    }
    return rows;
  }
}
