package io.ponte.node.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.ponte.node.index.InstanceIndex;
import io.ponte.node.storage.BlobUploadWorker;
import io.ponte.node.storage.IngestSource;
import io.ponte.node.storage.InstanceStore;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.WholeIndexTestProfile;
import io.ponte.testing.DicomTestFiles;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention and legal hold at the node, on the real PostgreSQL and Azurite: the retention end is
 * decided at ingest from the site's rules, nothing is deleted before it (inside retention, on hold,
 * dry run), a study whose retention ended is deleted from cache, Blob and index with its audit
 * record and its withdrawal queued for the hub, an interrupted deletion is finished by the next
 * run, and bad input is refused with a clear message and a nonzero status.
 */
@QuarkusTest
@TestProfile(WholeIndexTestProfile.class)
class RetentionTest {

  static final IngestSource STOW =
      new IngestSource(IngestSource.Protocol.STOW_RS, "test", "127.0.0.1");

  @Inject InstanceStore store;

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  @Inject BlobUploadWorker uploader;

  @Inject RetentionIndex retention;

  @Inject DeleteExpiredTool deleteExpired;

  @Inject NodeHoldTool hold;

  @Inject RetentionJob job;

  @Inject RetentionMetrics metrics;

  @Inject
  @DataSource("node")
  AgroalDataSource dataSource;

  @TempDir Path dir;

  /** Delete-expired walks the whole index: only this test's studies are in it. */
  @BeforeEach
  void emptyIndex() throws Exception {
    WholeIndexTestProfile.emptyIndex(index);
  }

  /** One stored, uploaded instance of a new study with the given header attributes. */
  String study(String studyDate, String... attributes) throws Exception {
    String study = DicomTestFiles.newUid();
    storeInto(study, studyDate, attributes);
    return study;
  }

  /** One more stored, uploaded instance of {@code study}, in a series of its own. */
  void storeInto(String study, String studyDate, String... attributes) throws Exception {
    String series = DicomTestFiles.newUid();
    String sop = DicomTestFiles.newUid();
    Path file = DicomTestFiles.ct(dir, study, series, sop, 2_000, study.hashCode());
    List<String> cmd =
        new ArrayList<>(List.of("dcmodify", "-nb", "-i", "(0008,0020)=" + studyDate));
    for (String a : attributes) {
      cmd.addAll(List.of("-i", a));
    }
    cmd.add(file.toString());
    DicomTestFiles.run(cmd.toArray(String[]::new));
    try (InputStream in = Files.newInputStream(file)) {
      store.storePart10(STOW, in);
    }
    long deadline = System.currentTimeMillis() + 30_000;
    while (!InstanceIndex.UPLOADED.equals(index.find(sop).orElseThrow().blobState())) {
      assertThat(System.currentTimeMillis()).as("uploaded within 30 s").isLessThan(deadline);
      uploader.uploadDue();
      Thread.sleep(100);
    }
  }

  /** The study as db/node V60 left those indexed before the policy: no retention decided. */
  void indexedBeforeThePolicy(String study) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "update study set retention_class = null, retention_ends_on = null"
                    + " where study_instance_uid = ?")) {
      st.setString(1, study);
      st.executeUpdate();
    }
  }

  String outpatient(String studyDate) throws Exception {
    return study(studyDate, "(0038,0300)=OUTPATIENT");
  }

  record Run(int exit, String out) {}

  Run run(io.ponte.cli.Tool tool, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      exit = tool.run(List.of(args), out);
    }
    return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
  }

  String sopOf(String study) throws Exception {
    return one("select sop_instance_uid from instance where study_instance_uid = ?", study);
  }

  String one(String sql, String param) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, param);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  boolean blobExists(String blobName) throws Exception {
    return storage.blobStore().metadata(blobName) != null;
  }

  @Test
  void ingestDecidesTheClassAndTheEndFromTheStudyDate() throws Exception {
    String outpatient = outpatient("20200131");
    String inpatient = study("20200131", "(0038,0010)=ADM-77");
    String undecided = study("20200131");
    String noDate = study("");

    assertThat(retention.find(outpatient).orElseThrow())
        .extracting(RetentionIndex.StudyTerms::retentionClass, RetentionIndex.StudyTerms::endsOn)
        .containsExactly("OUTPATIENT", LocalDate.of(2035, 1, 31));
    assertThat(retention.find(inpatient).orElseThrow())
        .extracting(RetentionIndex.StudyTerms::retentionClass, RetentionIndex.StudyTerms::endsOn)
        .containsExactly("INPATIENT", LocalDate.of(2050, 1, 31));
    // undecided: the longer period
    assertThat(retention.find(undecided).orElseThrow())
        .extracting(RetentionIndex.StudyTerms::retentionClass, RetentionIndex.StudyTerms::endsOn)
        .containsExactly("UNDECIDED", LocalDate.of(2050, 1, 31));
    // no StudyDate: counted from the day it arrived
    assertThat(retention.find(noDate).orElseThrow().endsOn())
        .isEqualTo(LocalDate.now(java.time.ZoneOffset.UTC).plusYears(30));
  }

  @Test
  void nothingIsDeletedBeforeRetentionEndsOrWhileHeldOrInADryRun() throws Exception {
    String inside = outpatient("20150101"); // ends 2030
    String inpatientOld = study("20000101", "(0038,0010)=ADM-1"); // ends 2030
    String expired = outpatient("20000101"); // ends 2015
    String held = outpatient("19990101"); // ends 2014, but held

    Run holding = run(hold, "--study", held, "--reason", "court order 12/2026", "--by", "dr.lex");
    assertThat(holding.exit()).as(holding.out()).isZero();
    assertThat(holding.out()).contains("on legal hold").contains("dr.lex");

    Run dry = run(deleteExpired, "--dry-run", "--by", "ops");
    assertThat(dry.exit()).isZero();
    assertThat(dry.out())
        .contains("would delete: study " + expired)
        .contains("kept (legal hold): study " + held)
        .doesNotContain(inside)
        .doesNotContain(inpatientOld);
    // the dry run deleted nothing
    String expiredSop = sopOf(expired);
    assertThat(expiredSop).isNotNull();
    assertThat(
            blobExists(
                one("select blob_name from instance where sop_instance_uid = ?", expiredSop)))
        .isTrue();

    String blobName = one("select blob_name from instance where sop_instance_uid = ?", expiredSop);
    Path cacheFile =
        storage
            .layout()
            .resolve(one("select cache_path from instance where sop_instance_uid = ?", expiredSop));
    assertThat(cacheFile).exists();

    Run real = run(deleteExpired, "--by", "ops");
    assertThat(real.exit()).as(real.out()).isZero();
    assertThat(real.out())
        .contains("deleted: study " + expired)
        .containsPattern(
            "deleted: study "
                + expired
                + ", [^\\n]*, 1 instances; the objects of 1 instance deleted\\R");

    // the expired study is gone from index, cache and Blob
    assertThat(retention.find(expired)).isEmpty();
    assertThat(sopOf(expired)).isNull();
    assertThat(cacheFile).doesNotExist();
    assertThat(blobExists(blobName)).isFalse();
    assertThat(one("select count(*) from retention_deletion where study_instance_uid = ?", expired))
        .isEqualTo("0");
    // audited, and its withdrawal queued for the hub
    assertThat(
            one(
                "select detail from node_audit_record r join node_audit_outbox o using (record_id)"
                    + " where r.event = 'delete' and r.protocol = 'CLI' and r.study_uid = ?",
                expired))
        .contains("retention ended 2015-01-01")
        .contains("index rows deleted; cache files, Blob objects")
        .contains(": the objects of 1 instance deleted; withdrawal from the hub queued")
        .doesNotContain("kept");
    assertThat(
            one(
                "select subject from node_audit_record where event = 'delete' and study_uid = ?",
                expired))
        .isEqualTo("ops");
    assertThat(
            one(
                "select enqueued_at from publication_withdrawal where study_instance_uid = ?",
                expired))
        .isNotNull();

    // the others are all still there, with their objects
    for (String kept : List.of(inside, inpatientOld, held)) {
      String sop = sopOf(kept);
      assertThat(sop).as("study %s kept", kept).isNotNull();
      assertThat(blobExists(one("select blob_name from instance where sop_instance_uid = ?", sop)))
          .isTrue();
    }
    assertThat(
            one(
                "select count(*) from node_audit_record where event = 'delete' and study_uid = ?",
                held))
        .isEqualTo("0");

    // released, the held study goes at the next run
    Run release = run(hold, "--study", held, "--release", "--by", "dr.lex");
    assertThat(release.exit()).as(release.out()).isZero();
    assertThat(run(deleteExpired, "--by", "ops").out()).contains("deleted: study " + held);
    assertThat(retention.find(held)).isEmpty();
    assertThat(
            one(
                "select count(*) from node_audit_record where event in ('hold', 'release')"
                    + " and study_uid = ? and subject = 'dr.lex'",
                held))
        .isEqualTo("2");
  }

  @Test
  void aRerunFinishesAnInterruptedDeletion() throws Exception {
    String expired = outpatient("20010203");
    String sop = sopOf(expired);
    String blobName = one("select blob_name from instance where sop_instance_uid = ?", sop);
    // step 1 only, as if the process died right after it: no longer served, objects still there
    assertThat(
            retention.withdraw(
                expired, LocalDate.now(java.time.ZoneOffset.UTC), "ops", Instant.now()))
        .isTrue();
    assertThat(sopOf(expired)).isNull();
    assertThat(blobExists(blobName)).isTrue();

    Run rerun = run(deleteExpired, "--by", "ops");
    assertThat(rerun.exit()).as(rerun.out()).isZero();
    assertThat(rerun.out())
        .contains("finishing the interrupted deletion of study " + expired)
        .contains(
            "finished the deletion of study " + expired + ": the objects of 1 instance deleted\n");
    assertThat(blobExists(blobName)).isFalse();
    assertThat(one("select count(*) from retention_deletion where study_instance_uid = ?", expired))
        .isEqualTo("0");
    assertThat(
            one(
                "select count(*) from node_audit_record where event = 'delete' and study_uid = ?",
                expired))
        .isEqualTo("1");
  }

  @Test
  void studiesIndexedBeforeThePolicyAreDecidedOnTheFirstRun() throws Exception {
    String old = outpatient("20100615");
    indexedBeforeThePolicy(old);
    assertThat(retention.find(old).orElseThrow().endsOn()).isNull();
    job.run();
    assertThat(retention.find(old).orElseThrow())
        .extracting(RetentionIndex.StudyTerms::retentionClass, RetentionIndex.StudyTerms::endsOn)
        .containsExactly("OUTPATIENT", LocalDate.of(2025, 6, 15));
  }

  @Test
  void aStudyIndexedBeforeThePolicyIsKeptAsLongAsItsLongestInstanceAsksAsAtIngest()
      throws Exception {
    String study = outpatient("20100615");
    storeInto(study, "20100615"); // no class: the longer default
    RetentionIndex.StudyTerms atIngest = retention.find(study).orElseThrow();
    assertThat(atIngest.endsOn()).isAfter(LocalDate.of(2025, 6, 15));
    indexedBeforeThePolicy(study);

    job.run();

    assertThat(retention.find(study).orElseThrow())
        .extracting(RetentionIndex.StudyTerms::retentionClass, RetentionIndex.StudyTerms::endsOn)
        .as("decided from every instance, not from one: never 15 years early")
        .containsExactly(atIngest.retentionClass(), atIngest.endsOn());
  }

  @Test
  void gaugesCountHeldStudiesAndStudiesAwaitingDeletion() throws Exception {
    job.run();
    long held = metrics.held();
    long expired = metrics.expired();
    String a = outpatient("19950101");
    String b = outpatient("19950102");
    assertThat(run(hold, "--study", b, "--reason", "complaint", "--by", "dpo").exit()).isZero();
    job.run();
    assertThat(metrics.held()).isEqualTo(held + 1);
    assertThat(metrics.expired()).isEqualTo(expired + 1);
    assertThat(retention.find(a)).isPresent();
  }

  @Test
  void badInputIsRefusedWithAClearMessageAndChangesNothing() throws Exception {
    String study = outpatient("20200101");
    String unknown = DicomTestFiles.newUid();

    Run onUnknown = run(hold, "--study", unknown, "--reason", "x", "--by", "a");
    assertThat(onUnknown.exit()).isEqualTo(1);
    assertThat(onUnknown.out()).contains("no study " + unknown + " at this node (site hospital-a)");

    Run releaseNotHeld = run(hold, "--study", study, "--release", "--by", "a");
    assertThat(releaseNotHeld.exit()).isEqualTo(1);
    assertThat(releaseNotHeld.out()).contains("is not on hold");

    assertThat(run(hold, "--study", study, "--reason", "first", "--by", "a").exit()).isZero();
    Run twice = run(hold, "--study", study, "--reason", "second", "--by", "b");
    assertThat(twice.exit()).isEqualTo(1);
    assertThat(twice.out()).contains("already on hold").contains("first");
    assertThat(retention.find(study).orElseThrow().holdReason()).isEqualTo("first");

    Run noReason = run(hold, "--study", study, "--by", "a");
    assertThat(noReason.exit()).isEqualTo(2);
    assertThat(
            one(
                "select count(*) from node_audit_record where event = 'hold' and study_uid = ?",
                study))
        .isEqualTo("1");
  }
}
