package io.ponte.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ponte.dicom.Attributes;
import io.ponte.dicom.FileMetaReader;
import io.ponte.dicom.Tag;
import io.ponte.node.storage.IsolatedNode;
import io.ponte.testing.Dcmtk;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.FreePorts;
import io.ponte.testing.Orthanc;
import io.ponte.testing.Peers;
import io.ponte.testing.PonteProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private static final String AET = "LEGACY_PACS";
  private static final String OUR_AET = "PONTE_MIGRATE";
  private static final int MOVE_PORT = FreePorts.next();

  @TempDir static Path scratch;

  static Orthanc orthanc;

  /** Orthanc's stored file by SOP Instance UID. */
  static final Map<String, byte[]> archived = new HashMap<>();

  static final List<IsolatedNode> nodes = new ArrayList<>();

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
    for (IsolatedNode node : nodes) {
      node.drop();
    }
  }

  /** A node of its own (database, container, cache) for one kind of source. */
  private static synchronized IsolatedNode node(String name) {
    IsolatedNode node = IsolatedNode.named(SITE, "migrate_" + name);
    nodes.add(node);
    return node;
  }

  private static JsonNode migrate(IsolatedNode node, int exit, String... extra) throws IOException {
    Path report = Files.createTempFile(scratch, "report", ".json");
    List<String> args =
        new ArrayList<>(
            List.of("migrate", "--site", SITE, "--report", report.toString(), "--workers", "3"));
    args.addAll(Arrays.asList(extra));
    PonteProcess.Builder.Run run =
        node.builder().run(Duration.ofMinutes(2), args.toArray(String[]::new));
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
    IsolatedNode node = node("get");
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
    IsolatedNode node = node("web");
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
    for (Map.Entry<String, byte[]> e : now.entrySet()) {
      String[] row = rows.get(e.getKey());
      assertThat(row[2]).isEqualTo("UPLOADED");
      assertThat(row[0]).as("the archive's file, byte for byte").isEqualTo(sha(e.getValue()));
      try (InputStream in = open(node, row)) {
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
    IsolatedNode node = node("kill");
    Map<String, byte[]> now = new HashMap<>(archived);
    IsolatedNode.killWhen(
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
                "1"),
        () -> node.count("migration_file where sop_instance_uid is not null") >= 1,
        Duration.ofMinutes(2),
        Duration.ofMillis(100),
        "still migrating");
    long stored = node.count("migration_file where sop_instance_uid is not null");
    assertThat(stored).as("killed mid-run").isBetween(1L, now.size() - 1L);
    // As MigrateCrashIT: the killed run's pack claims are released when the next run starts.

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
    assertThat(node.count("migration_file where sop_instance_uid is not null"))
        .isEqualTo(node.count("migration_file where verified_at is not null"))
        .isEqualTo(now.size());
    assertThat(node.count("pack_journal")).isZero();
  }

  @Test
  void anUnusableSourceStopsTheCommandWithAClearError() throws Exception {
    IsolatedNode node = node("bad");
    String unreachable =
        migrate(node, 3, "--from", "dimse://" + AET + "@127.0.0.1:" + FreePorts.next())
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
  private static void assertSameDatasets(IsolatedNode node, Map<String, byte[]> expected)
      throws Exception {
    Map<String, String[]> rows = instances(node);
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      String[] row = rows.get(e.getKey());
      assertThat(row[2]).as("%s uploaded", e.getKey()).isEqualTo("UPLOADED");
      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      try (InputStream in = open(node, row)) {
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
  private static InputStream open(IsolatedNode node, String[] row) {
    return node.open(row[1], row[3], Long.parseLong(row[4]));
  }

  /** sha256, blob name, blob state, pack offset, size by SOP Instance UID. */
  private static Map<String, String[]> instances(IsolatedNode node) throws SQLException {
    return node.instances("sha256", "blob_name", "blob_state", "pack_offset", "size_bytes");
  }
}
