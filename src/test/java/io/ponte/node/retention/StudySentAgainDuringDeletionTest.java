package io.ponte.node.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.ponte.dicom.UID;
import io.ponte.dicom.net.AcceptorConfig;
import io.ponte.dicom.net.ClientAssociation;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.dicom.net.PresentationContext;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.ingest.DimseListener;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.WholeIndexTestProfile;
import io.ponte.testing.DicomTestFiles;
import io.ponte.testing.Tokens;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study sent again (a PACS re-forward) after a deletion took it out of the index but before the
 * deletion removed its objects, which have the same deterministic names as the new copy's: ingest
 * refuses it for now over DIMSE and STOW-RS, and stores it once the deletion is finished; a copy
 * indexed anyway (by a node before that refusal) keeps its bytes when the deletion is finished,
 * even on legal hold. On the real PostgreSQL and Azurite.
 */
@QuarkusTest
@TestProfile(WholeIndexTestProfile.class)
class StudySentAgainDuringDeletionTest {

  static final IngestSource STOW =
      new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject RetentionIndex retention;

  @Inject DeleteExpiredTool deleteExpired;

  @Inject NodeHoldTool hold;

  @Inject DimseListener listener;

  @Inject
  @DataSource("node")
  AgroalDataSource dataSource;

  @TempDir Path dir;

  /** Delete-expired walks the whole index: only this test's studies are in it. */
  @BeforeEach
  void emptyIndex() throws Exception {
    WholeIndexTestProfile.emptyIndex(index);
  }

  /** An instance of {@code study} whose retention ended in 2016 (outpatient, 2001). */
  Path expired(String study, String series) throws Exception {
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 2_000, sop.hashCode());
    DicomTestFiles.run(
        "dcmodify",
        "-nb",
        "-i",
        "(0008,0020)=20010203",
        "-i",
        "(0038,0300)=OUTPATIENT",
        file.toString());
    return file;
  }

  static String sopOf(Path file) {
    return file.getFileName().toString().replace(".dcm", "");
  }

  void storeAndUpload(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      store.storePart10(STOW, in);
    }
    String sop = sopOf(file);
    long deadline = System.currentTimeMillis() + 30_000;
    while (!InstanceIndex.UPLOADED.equals(index.find(sop).orElseThrow().blobState())) {
      assertThat(System.currentTimeMillis()).as("uploaded within 30 s").isLessThan(deadline);
      uploader.uploadDue();
      Thread.sleep(100);
    }
  }

  /** Step 1 of the deletion only, as if step 2 failed (replica down, process killed). */
  void withdrawOnly(String study) throws Exception {
    assertThat(retention.withdraw(study, LocalDate.now(ZoneOffset.UTC), "ops", Instant.now()))
        .isTrue();
  }

  String run(io.ponte.cli.Tool tool, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      exit = tool.run(List.of(args), out);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out).isZero();
    return out;
  }

  long count(String sql, String param) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, param);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  boolean blobExists(String name) throws Exception {
    return storage.blobStore().metadata(name) != null;
  }

  @Test
  void finishingAnInterruptedDeletionKeepsTheObjectsOfAnInstanceIndexedAgainEvenOnHold()
      throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    Path again = expired(study, series);
    Path gone = expired(study, series);
    storeAndUpload(again);
    storeAndUpload(gone);
    InstanceIndex.Row goneRow = index.find(sopOf(gone)).orElseThrow();
    Path goneFile = storage.layout().resolve(goneRow.cachePath());
    withdrawOnly(study);

    // one of its instances sent again, indexed (by a node before ingest refused that) and
    // uploaded, and the study put on legal hold
    try (Connection c = dataSource.getConnection()) {
      UnfinishedDeletion.hiddenWhile(c, study, () -> storeAndUpload(again));
    }
    InstanceIndex.Row row = index.find(sopOf(again)).orElseThrow();
    run(hold, "--study", study, "--reason", "court order 17/2025", "--by", "dpo");

    String out = run(deleteExpired, "--by", "ops");
    assertThat(out).contains("finishing the interrupted deletion of study " + study);

    // the instance sent again is whole: listed, held, its cache file and blob there
    InstanceIndex.Row after = index.find(sopOf(again)).orElseThrow();
    assertThat(after.blobState()).isEqualTo(InstanceIndex.UPLOADED);
    assertThat(storage.layout().resolve(after.cachePath())).exists();
    assertThat(DicomTestFiles.sha256(storage.layout().resolve(after.cachePath())))
        .isEqualTo(after.sha256());
    assertThat(blobExists(after.blobName())).as("blob of a live, held instance").isTrue();
    assertThat(retention.find(study).orElseThrow().held()).isTrue();
    assertThat(out)
        .contains("kept object " + row.blobName() + ": an instance indexed since names it")
        .contains("kept cache file " + row.cachePath());
    // the one not sent again is deleted, and the deletion is settled, not retried
    assertThat(goneFile).doesNotExist();
    assertThat(blobExists(goneRow.blobName())).isFalse();
    assertThat(count("select count(*) from retention_deletion where study_instance_uid = ?", study))
        .isZero();
    assertThat(
            count(
                "select count(*) from retention_deletion_object where study_instance_uid = ?",
                study))
        .isZero();
    assertThat(run(deleteExpired, "--by", "ops")).doesNotContain("finishing");
    // and says so: one instance's objects deleted, one's kept, and why
    String said =
        "the objects of 1 instance deleted, of 1 instance kept: indexed again since (the study was"
            + " sent again)";
    assertThat(out).contains("finished the deletion of study " + study + ": " + said);
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "select detail from node_audit_record where event = 'delete' and study_uid = ?")) {
      st.setString(1, study);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1))
            .contains(said)
            .contains("withdrawal from the hub queued, the instances indexed again published")
            .doesNotContain("withdrawn from the hub");
      }
    }
  }

  @Test
  void aStudyBeingDeletedIsRefusedForNowOverStowAndDimseAndStoredOnceTheDeletionIsFinished()
      throws Exception {
    String study = DicomTestFiles.newUid();
    String series = DicomTestFiles.newUid();
    Path stowed = expired(study, series);
    Path stored = expired(study, series);
    storeAndUpload(stowed);
    storeAndUpload(stored);
    withdrawOnly(study);

    stow(stowed)
        .statusCode(409)
        .body("'00081198'.Value[0].'00081155'.Value[0]", equalTo(sopOf(stowed)))
        .body("'00081198'.Value[0].'00081197'.Value[0]", equalTo(DimseStatus.OUT_OF_RESOURCES));
    DimseStatus refused = cStore(stored);
    assertThat(refused.code()).isEqualTo(DimseStatus.OUT_OF_RESOURCES);
    assertThat(refused.errorComment())
        .isEqualTo("ponte:storage-unavailable: study being deleted; send again later");
    assertThat(index.find(sopOf(stowed))).isEmpty();
    assertThat(index.find(sopOf(stored))).isEmpty();

    run(deleteExpired, "--by", "ops");
    stow(stowed)
        .statusCode(200)
        .body("'00081199'.Value[0].'00081190'.Value[0]", startsWith("http"));
    assertThat(cStore(stored).code()).isEqualTo(DimseStatus.SUCCESS);
    assertThat(index.find(sopOf(stowed))).isPresent();
    assertThat(index.find(sopOf(stored))).isPresent();
  }

  static ValidatableResponse stow(Path file) throws Exception {
    DicomTestFiles.Multipart body = DicomTestFiles.multipartOfFiles(List.of(file));
    return given()
        .auth()
        .oauth2(Tokens.client("hospital-a-ingest"))
        .contentType(body.contentType())
        .body(body.body())
        .post("/dicomweb/studies")
        .then();
  }

  /** The file's data set (after preamble and file meta) by C-STORE, as a modality sends it. */
  DimseStatus cStore(Path file) throws Exception {
    byte[] part10 = Files.readAllBytes(file);
    // (0002,0000) UL: tag, VR, length, then the group's length, at 132 after preamble and DICM
    int metaLength = ByteBuffer.wrap(part10, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int start = 144 + metaLength;
    try (ClientAssociation a =
        ClientAssociation.open(
            "127.0.0.1",
            listener.port(),
            "RESEND_SCU",
            "PONTE",
            List.of(
                PresentationContext.proposed(
                    1, UID.CTImageStorage, AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN)),
            65536,
            Duration.ofSeconds(30))) {
      return a.store(
          UID.CTImageStorage,
          sopOf(file),
          AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN,
          new ByteArrayInputStream(part10, start, part10.length - start));
    }
  }
}
