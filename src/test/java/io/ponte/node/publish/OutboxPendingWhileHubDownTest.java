package io.ponte.node.publish;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.agroal.api.AgroalDataSource;
import io.ponte.fhir.FhirContextProducer;
import io.ponte.testing.Management;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.Test;

/**
 * The hub is down (its URL is a closed port) while the node takes in studies: every quiet study
 * waits in the outbox with its attempts growing, nothing is dropped, and a later instance rebuilds
 * the pending row.
 */
@QuarkusTest
@TestProfile(PublisherTestProfile.class)
class OutboxPendingWhileHubDownTest {

  static final String CT = "1.2.840.10008.5.1.4.1.1.2";

  @Inject
  @DataSource("node")
  AgroalDataSource dataSource;

  @Inject TestIngest ingest;

  @Test
  void keepsQuietStudiesPendingWithGrowingAttemptsWhileTheHubIsDown() throws Exception {
    String study = uid();
    String series = study + ".1";
    ingest.instance(study, series, series + ".1", "MRN-" + study.hashCode(), 1);
    ingest.instance(study, series, series + ".2", "MRN-" + study.hashCode(), 2);

    OutboxRows.Row first = await(study, r -> r.payload() != null && r.attempts() >= 1);
    assertThat(first.sentAt()).isNull();
    assertThat(first.lastError()).contains("ConnectException");
    assertThat(parse(first.payload()).getNumberOfInstances()).isEqualTo(2);

    OutboxRows.Row later = await(study, r -> r.attempts() >= first.attempts() + 3);
    assertThat(later.sentAt()).isNull();
    assertThat(later.generation()).isEqualTo(first.generation());
    assertThat(later.sha256()).isEqualTo(first.sha256());
    assertThat(later.nextAttemptAt()).isNotNull();
  }

  @Test
  void aLaterInstanceRebuildsThePendingStudyWithoutLosingTheEarlierOnes() throws Exception {
    String study = uid();
    ingest.instance(study, study + ".1", study + ".1.1", "MRN-9", 1);
    OutboxRows.Row first = await(study, r -> r.payload() != null && r.attempts() >= 1);

    ingest.instance(study, study + ".2", study + ".2.1", "MRN-9", 1);
    OutboxRows.Row rebuilt =
        await(study, r -> r.generation() > first.generation() && r.payload() != null);
    ImagingStudy resource = parse(rebuilt.payload());
    assertThat(resource.getNumberOfInstances()).isEqualTo(2);
    assertThat(resource.getNumberOfSeries()).isEqualTo(2);
    assertThat(rebuilt.builtFor()).isAfter(first.builtFor());
    assertThat(rebuilt.sha256()).isNotEqualTo(first.sha256());
    assertThat(rebuilt.sentAt()).isNull();
    // and the new content is retried too
    await(study, r -> r.generation() == rebuilt.generation() && r.attempts() > rebuilt.attempts());
  }

  @Test
  void doesNotPublishAStudyStillReceivingInstances() throws Exception {
    String study = uid();
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    int n = 0;
    // an instance every 300 ms keeps the study from ever being quiet for 1 s
    while (System.nanoTime() < until) {
      ingest.instance(study, study + ".1", study + ".1." + (++n), "MRN-5", n);
      Thread.sleep(300);
    }
    assertThat(OutboxRows.find(dataSource, study)).isEmpty();
    OutboxRows.Row row = await(study, r -> r.payload() != null);
    assertThat(parse(row.payload()).getNumberOfInstances()).isEqualTo(n);
  }

  @Test
  void findsAStudyWhoseIngestCommittedLaterThanTheTimeItRecorded() throws Exception {
    ingest.instance(uid(), uid(), uid(), "MRN-1", 1);
    Thread.sleep(2_500); // the enqueuer has completed runs past this moment: its horizon is now
    String study = uid();
    String sql =
        """
                with s as (insert into study (study_instance_uid, patient_id, created_at, last_received_at)
                           values ('UID', 'MRN-LATE', now(), now() - interval '2 minutes') returning study_instance_uid),
                     se as (insert into series (series_instance_uid, study_instance_uid, modality, created_at)
                            select 'UID.1', study_instance_uid, 'MR', now() from s returning series_instance_uid)
                insert into instance (sop_instance_uid, series_instance_uid, study_instance_uid, sop_class_uid,
                    transfer_syntax_uid, size_bytes, sha256, blob_name, metadata, source_protocol, received_at)
                select 'UID.1.1', series_instance_uid, 'UID', '1.2.840.10008.5.1.4.1.1.4', '1.2.840.10008.1.2.1',
                    1, repeat('0', 64), 'x', '{}', 'MIGRATION', now() from se
                """
            .replace("UID", study);
    try (java.sql.Connection c = dataSource.getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    }
    OutboxRows.Row row = await(study, r -> r.payload() != null);
    assertThat(parse(row.payload()).getNumberOfInstances()).isEqualTo(1);
  }

  @Test
  void holdsBackAStudyWithoutPatientIdWithTheReason() throws Exception {
    String study = uid();
    ingest.instance(study, study + ".1", study + ".1.1", null, 1);
    OutboxRows.Row row = await(study, r -> r.lastError() != null);
    assertThat(row.payload()).isNull();
    assertThat(row.lastError()).contains("PatientID");
    assertThat(row.nextAttemptAt()).isNull();
  }

  @Test
  void staysReadyAndReportsTheBacklogWhileTheHubIsDown() throws Exception {
    String study = uid();
    ingest.instance(study, study + ".1", study + ".1.1", "MRN-77", 1);
    await(study, r -> r.attempts() >= 1);
    Thread.sleep(1500); // one more sender run, which counts the backlog
    given()
        .get(Management.url("/q/health/ready"))
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.find { it.name == 'ponte-publisher' }.status", equalTo("UP"))
        .body("checks.find { it.name == 'ponte-publisher' }.data.backlog", greaterThanOrEqualTo(1))
        .body(
            "checks.find { it.name == 'ponte-publisher' }.data.lastFailure",
            equalTo("unavailable"));
    String metrics =
        given().get(Management.url("/q/metrics")).then().statusCode(200).extract().asString();
    assertThat(metrics)
        .containsPattern("ponte_publish_outbox_backlog(\\{[^}]*\\})? [1-9]")
        .containsPattern(
            "ponte_publish_failures_total\\{[^}]*reason=\"unavailable\"[^}]*\\} [1-9]");
  }

  private OutboxRows.Row await(String study, Predicate<OutboxRows.Row> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<OutboxRows.Row> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      Optional<OutboxRows.Row> row = OutboxRows.find(dataSource, study);
      if (row.isPresent()) {
        if (!seen.isEmpty()) {
          // attempts only ever grow for the same content; a rebuild keeps them too
          assertThat(row.get().attempts())
              .isGreaterThanOrEqualTo(seen.get(seen.size() - 1).attempts());
        }
        seen.add(row.get());
        if (condition.test(row.get())) {
          return row.get();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "outbox row of "
            + study
            + " never reached the expected state by "
            + Instant.now()
            + "; first seen: "
            + (seen.isEmpty()
                ? "none"
                : seen.get(0) + ", last seen: " + seen.get(seen.size() - 1)));
  }

  private static ImagingStudy parse(String json) {
    return FhirContextProducer.r4().newJsonParser().parseResource(ImagingStudy.class, json);
  }

  /**
   * A fresh UID per test (2.25 + UUID as an integer), so reruns against the same database never
   * collide.
   */
  static String uid() {
    UUID u = UUID.randomUUID();
    return "2.25."
        + new java.math.BigInteger(
                1,
                java.nio.ByteBuffer.allocate(16)
                    .putLong(u.getMostSignificantBits())
                    .putLong(u.getLeastSignificantBits())
                    .array())
            .toString()
            .substring(0, 30);
  }
}
