package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agroal.api.AgroalDataSource;
import io.ponte.testing.Management;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The outbox's guarantees, each in one transaction that is rolled back (so the running publisher
 * never sees these rows): a result recorded for content that was rebuilt meanwhile never hides the
 * new content, an older build never replaces a newer one, and content the hub already has is not
 * sent again. The sender's records run on their own connection: those tests commit their rows
 * (claimed at once, so the running publisher never takes them) and remove them afterwards.
 */
@QuarkusTest
@TestProfile(PublisherTestProfile.class)
class PublicationOutboxTest {

  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  /** A study's first content, built at T0, and the content it is rebuilt with. */
  static final String V1 = "{\"v\":1}";

  static final String V1_SHA = "a".repeat(64);
  static final String V2 = "{\"v\":2}";
  static final String V2_SHA = "b".repeat(64);

  @Inject
  @DataSource("node")
  AgroalDataSource dataSource;

  @Inject PublicationOutbox outbox;

  @Inject OutboxSender sender;

  @Inject io.micrometer.core.instrument.MeterRegistry registry;

  @Test
  void aSendOfContentRebuiltMeanwhileIsNotMarkedSent() throws Exception {
    inRolledBackTransaction(
        c -> {
          PublicationOutbox.Claimed claimed = claimedStudy(c);
          String uid = claimed.studyInstanceUid();
          rebuild(c, uid, T0.plusSeconds(6));

          assertThat(outbox.markSent(c, claimed, 201, T0.plusSeconds(7))).isFalse();
          assertThat(column(c, uid, "sent_at")).isNull();
          assertThat(column(c, uid, "payload")).isEqualTo(V2);
          assertThat(column(c, uid, "next_attempt_at"))
              .isEqualTo(Timestamp.from(T0.plusSeconds(6)));
        });
  }

  @Test
  void aFailureOfContentRebuiltMeanwhileDoesNotDelayTheNewContent() throws Exception {
    inRolledBackTransaction(
        c -> {
          PublicationOutbox.Claimed claimed = claimedStudy(c);
          String uid = claimed.studyInstanceUid();
          rebuild(c, uid, T0.plusSeconds(6));

          assertThat(
                  outbox.markFailed(
                      c, claimed, 503, "HTTP 503", T0.plus(Duration.ofHours(1)), T0.plusSeconds(7)))
              .isFalse();
          assertThat(column(c, uid, "next_attempt_at"))
              .isEqualTo(Timestamp.from(T0.plusSeconds(6)));
        });
  }

  @Test
  void aSentRowIsMarkedWithItsHashAndLeavesTheQueue() throws Exception {
    inRolledBackTransaction(
        c -> {
          PublicationOutbox.Claimed claimed = claimedStudy(c);
          String uid = claimed.studyInstanceUid();
          assertThat(outbox.markSent(c, claimed, 201, T0.plusSeconds(1))).isTrue();
          assertThat(column(c, uid, "sent_sha256")).isEqualTo(V1_SHA);
          assertThat(column(c, uid, "next_attempt_at")).isNull();
          assertThat(column(c, uid, "attempts")).isEqualTo(0);
        });
  }

  @Test
  void rebuildingToContentTheHubAlreadyHasSendsNothing() throws Exception {
    inRolledBackTransaction(
        c -> {
          PublicationOutbox.Claimed claimed = claimedStudy(c);
          String uid = claimed.studyInstanceUid();
          outbox.markSent(c, claimed, 201, T0.plusSeconds(1));
          outbox.upsert(c, uid, V1, V1_SHA, T0.plusSeconds(10), null, T0.plusSeconds(11));
          assertThat(column(c, uid, "sent_at")).isNotNull();
          assertThat(column(c, uid, "next_attempt_at")).isNull();
          // while different content is due again
          outbox.upsert(c, uid, V2, V2_SHA, T0.plusSeconds(20), null, T0.plusSeconds(21));
          assertThat(column(c, uid, "sent_at")).isNull();
          assertThat(column(c, uid, "next_attempt_at"))
              .isEqualTo(Timestamp.from(T0.plusSeconds(21)));
        });
  }

  @Test
  void anOlderBuildNeverReplacesANewerOne() throws Exception {
    inRolledBackTransaction(
        c -> {
          String uid = study(c);
          outbox.upsert(c, uid, V2, V2_SHA, T0.plusSeconds(10), null, T0.plusSeconds(11));
          Object generation = column(c, uid, "generation");
          outbox.upsert(c, uid, V1, V1_SHA, T0, null, T0.plusSeconds(12));
          assertThat(column(c, uid, "payload")).isEqualTo(V2);
          assertThat(column(c, uid, "generation")).isEqualTo(generation);
        });
  }

  @Test
  void aStudySentAgainAfterItsDeletionIsPublishedOnlyOnceItsWithdrawalReachedTheHub()
      throws Exception {
    inRolledBackTransaction(
        c -> {
          String uid = study(c);
          WithdrawalOutbox.enqueue(c, uid, T0);
          // sent again since, and built: sent before the withdrawal, the hub would end without it
          outbox.upsert(c, uid, V1, V1_SHA, T0.plusSeconds(5), null, T0);
          makeMostOverdue(c, uid);
          assertThat(nextClaimed(c)).isNotEqualTo(Optional.of(uid));

          WithdrawalOutbox.markSent(c, uid, 204, T0.plusSeconds(10));
          claimMine(c, uid);
        });
  }

  @Test
  void aWithdrawalQueuedWhileAPublicationIsOnItsWayIsDueOnlyWhenItsLeaseEnds() throws Exception {
    inRolledBackTransaction(
        c -> {
          String uid = claimedStudy(c).studyInstanceUid();
          Object lease = column(c, uid, "next_attempt_at");
          WithdrawalOutbox.enqueue(c, uid, Instant.now());
          assertThat(withdrawal(c, uid, "next_attempt_at"))
              .as("not sent while the PUT may still reach the hub")
              .isEqualTo(lease);
        });
  }

  @Test
  void aWithdrawalQueuedWithNoPublicationPendingIsDueAtOnce() throws Exception {
    inRolledBackTransaction(
        c -> {
          PublicationOutbox.Claimed claimed = claimedStudy(c);
          String uid = claimed.studyInstanceUid();
          outbox.markSent(c, claimed, 201, T0.plusSeconds(1));
          WithdrawalOutbox.enqueue(c, uid, T0.plusSeconds(60));
          assertThat(withdrawal(c, uid, "next_attempt_at"))
              .isEqualTo(Timestamp.from(T0.plusSeconds(60)));
        });
  }

  @Test
  void aPublicationThatReachedTheHubAfterTheWithdrawalIsFollowedByTheWithdrawalAgain()
      throws Exception {
    PublicationOutbox.Claimed inFlight = committed(this::claimedThenWithdrawnAndWithdrawalSent);
    String uid = inFlight.studyInstanceUid();
    try {
      sender.record(inFlight, Delivery.of(201, "", Optional.empty()));
      try (Connection c = dataSource.getConnection()) {
        assertThat(withdrawal(c, uid, "sent_at")).as("the withdrawal is due again").isNull();
      }
    } finally {
      remove(uid);
    }
  }

  @Test
  void aPublicationLeftWithoutAnswerIsFollowedByTheWithdrawalOnceItsLeaseEnds() throws Exception {
    PublicationOutbox.Claimed inFlight = committed(this::claimedThenWithdrawnAndWithdrawalSent);
    String uid = inFlight.studyInstanceUid();
    try {
      // the hub may still apply the PUT until the lease ends
      sender.record(inFlight, Delivery.unreachable("HttpTimeoutException: request timed out"));
      try (Connection c = dataSource.getConnection()) {
        assertThat(withdrawal(c, uid, "sent_at")).isNull();
        assertThat(((Timestamp) withdrawal(c, uid, "next_attempt_at")).toInstant())
            .isCloseTo(inFlight.leaseUntil(), within(1, ChronoUnit.MILLIS));
      }
    } finally {
      remove(uid);
    }
  }

  @Test
  void aStudySentAgainWhileAnOldPublicationWasOnItsWayIsPublishedAgainAfterTheWithdrawal()
      throws Exception {
    PublicationOutbox.Claimed inFlight =
        committed(
            c -> {
              PublicationOutbox.Claimed old = claimedThenWithdrawnAndWithdrawalSent(c);
              // sent again, indexed, built and published (by another sender) before the old PUT
              // ended
              String uid = sentAgainAndRebuilt(c, old, T0);
              assertThat(outbox.markSent(c, claimMine(c, uid), 201, Instant.now())).isTrue();
              return old;
            });
    String uid = inFlight.studyInstanceUid();
    try {
      sender.record(inFlight, Delivery.of(201, "", Optional.empty()));
      try (Connection c = dataSource.getConnection()) {
        assertThat(withdrawal(c, uid, "sent_at")).as("the withdrawal is due again").isNull();
        assertThat(column(c, uid, "sent_at")).as("and the new content after it").isNull();
        assertThat(column(c, uid, "payload")).isEqualTo(V2);
        makeMostOverdue(c, uid);
        assertThat(nextClaimed(c)).as("not before the withdrawal").isNotEqualTo(Optional.of(uid));
      }
    } finally {
      remove(uid);
    }
  }

  /**
   * A study deleted and sent again gets a new outbox row: an old claim's outcome (a 201, a failure,
   * a final refusal of the content it sent) must not settle the new content, never sent. The row's
   * generation tells them apart, so it is never handed out twice (V161), even to a row built anew.
   */
  @Test
  void anOldClaimsOutcomeNeverSettlesTheRowOfTheStudySentAgain() throws Exception {
    PublicationOutbox.Claimed old =
        committed(
            c -> {
              PublicationOutbox.Claimed inFlight = claimedThenWithdrawnAndWithdrawalSent(c);
              sentAgainAndRebuilt(c, inFlight, T0);
              return inFlight;
            });
    String uid = old.studyInstanceUid();
    try {
      inRolledBackTransaction(
          c -> {
            assertThat(column(c, uid, "generation")).isNotEqualTo(old.generation());
            Instant now = Instant.now();
            assertThat(outbox.markSent(c, old, 201, now)).as("a 201").isFalse();
            assertThat(outbox.markFailed(c, old, 503, "busy", now, now)).as("a failure").isFalse();
            assertThat(outbox.markRefused(c, old, 422, "invalid", "refused", now))
                .as("a refusal")
                .isFalse();
            assertThat(column(c, uid, "sent_at")).isNull();
            assertThat(column(c, uid, "refused_at")).isNull();
            assertThat(column(c, uid, "attempts")).isEqualTo(0);
          });
    } finally {
      remove(uid);
    }
  }

  @Test
  void aPublicationClaimedAfterTheWithdrawalReachedTheHubDoesNotSendItAgain() throws Exception {
    PublicationOutbox.Claimed claimed =
        committed(
            c -> {
              String uid = study(c);
              WithdrawalOutbox.enqueue(c, uid, T0);
              WithdrawalOutbox.markSent(c, uid, 204, T0.plusSeconds(1));
              outbox.upsert(c, uid, V1, V1_SHA, T0.plusSeconds(5), null, T0);
              return claimMine(c, uid);
            });
    String uid = claimed.studyInstanceUid();
    try {
      sender.record(claimed, Delivery.of(201, "", Optional.empty()));
      try (Connection c = dataSource.getConnection()) {
        assertThat(withdrawal(c, uid, "sent_at")).isEqualTo(Timestamp.from(T0.plusSeconds(1)));
        assertThat(column(c, uid, "sent_at")).isNotNull();
      }
    } finally {
      remove(uid);
    }
  }

  @Test
  void aWithdrawalQueuedAgainWhileOnItsWayIsNotMarkedSent() throws Exception {
    inRolledBackTransaction(
        c -> {
          String uid = study(c);
          WithdrawalOutbox.enqueue(c, uid, T0);
          try (PreparedStatement st =
              c.prepareStatement(
                  "update publication_withdrawal set next_attempt_at = '1970-01-01Z'"
                      + " where study_instance_uid = ?")) {
            st.setString(1, uid);
            st.executeUpdate();
          }
          Instant now = Instant.now();
          WithdrawalOutbox.Claimed w =
              WithdrawalOutbox.claimDue(c, now, now.plusSeconds(120)).orElseThrow();
          assertThat(w.studyInstanceUid()).isEqualTo(uid);
          PublicationOutbox.Claimed p =
              new PublicationOutbox.Claimed(uid, "{}", V1_SHA, 1, 0, T0, now);
          assertThat(WithdrawalOutbox.followPublication(c, p, now)).isTrue();

          assertThat(WithdrawalOutbox.markSent(c, uid, w, 204, now)).isFalse();
          assertThat(withdrawal(c, uid, "sent_at")).isNull();
        });
  }

  @Test
  void aClaimedRowIsLeasedSoNoOtherSenderTakesItMeanwhile() throws Exception {
    inRolledBackTransaction(
        c -> {
          String uid = claimedStudy(c).studyInstanceUid();
          assertThat(nextClaimed(c)).isNotEqualTo(Optional.of(uid));
        });
  }

  @Test
  void aFinalRefusalIsKeptWithItsReasonCountedShownAndNotRetriedWhileTransientErrorsAre()
      throws Exception {
    Instant now = Instant.now();
    PublicationOutbox.Claimed refused = committed(c -> claimedStudy(c, V1_SHA, now));
    PublicationOutbox.Claimed failed = committed(c -> claimedStudy(c, V2_SHA, now));
    String refusedUid = refused.studyInstanceUid();
    String transientUid = failed.studyInstanceUid();
    String code = io.ponte.error.ErrorCode.STUDY_OWNED_BY_ANOTHER_SITE.code();
    double before = refusedCount(code);

    sender.record(
        refused,
        Delivery.of(
            409,
            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"details\":{\"coding\":"
                + "[{\"code\":\""
                + code
                + "\"}]}}]}",
            Optional.empty()));
    sender.record(failed, Delivery.of(503, "busy", Optional.empty()));

    try (Connection c = dataSource.getConnection()) {
      assertThat(column(c, refusedUid, "refused_reason")).isEqualTo(code);
      assertThat(column(c, refusedUid, "refused_at")).isNotNull();
      assertThat(column(c, refusedUid, "next_attempt_at")).as("never due again").isNull();
      assertThat(column(c, refusedUid, "sent_at")).isNull();
      assertThat(column(c, transientUid, "refused_at")).isNull();
      assertThat(column(c, transientUid, "next_attempt_at")).as("retried").isNotNull();
    }
    assertThat(refusedCount(code)).isEqualTo(before + 1);
    sender.sendDue(); // counts the backlog the health check shows
    io.restassured.RestAssured.given()
        .get(Management.url("/q/health/ready"))
        .then()
        .statusCode(200)
        .body(
            "checks.find { it.name == 'ponte-publisher' }.status",
            org.hamcrest.Matchers.equalTo("UP"))
        .body(
            "checks.find { it.name == 'ponte-publisher' }.data.refused",
            org.hamcrest.Matchers.greaterThanOrEqualTo(1))
        .body(
            "checks.find { it.name == 'ponte-publisher' }.data.lastRefusal",
            org.hamcrest.Matchers.equalTo(code));

    // A rebuild (new instances) clears the refusal and tries once more.
    try (Connection c = dataSource.getConnection()) {
      Instant later = Instant.now().plusSeconds(1);
      outbox.upsert(c, refusedUid, V2, "c".repeat(64), later, null, later);
      assertThat(column(c, refusedUid, "refused_at")).isNull();
      assertThat(column(c, refusedUid, "next_attempt_at")).isNotNull();
    }
    remove(refusedUid);
    remove(transientUid);
  }

  private double refusedCount(String reason) {
    var counter = registry.find("ponte.publication.refused").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  /** A new study with {@link #V1} built at T0, claimed: its PUT is on its way. */
  private PublicationOutbox.Claimed claimedStudy(Connection c) throws Exception {
    return claimedStudy(c, V1_SHA, T0);
  }

  /** A new study with {@link #V1} (hashed {@code sha256}) built and due at {@code at}, claimed. */
  private PublicationOutbox.Claimed claimedStudy(Connection c, String sha256, Instant at)
      throws Exception {
    String uid = study(c);
    outbox.upsert(c, uid, V1, sha256, at, null, at);
    return claimMine(c, uid);
  }

  /** Rebuilds the study with {@link #V2} (built for T0 + 5 s), due at {@code dueAt}. */
  private void rebuild(Connection c, String uid, Instant dueAt) throws Exception {
    outbox.upsert(c, uid, V2, V2_SHA, T0.plusSeconds(5), null, dueAt);
  }

  /**
   * A publication claimed (its PUT on its way), then delete-expired: the study leaves the index,
   * its withdrawal is queued and reaches the hub before the PUT does. Committed step by step, as
   * the sender records on its own connection; what the caller adds is committed by {@link
   * #committed}.
   */
  private PublicationOutbox.Claimed claimedThenWithdrawnAndWithdrawalSent(Connection c)
      throws Exception {
    PublicationOutbox.Claimed inFlight = claimedStudy(c);
    String uid = inFlight.studyInstanceUid();
    c.commit();
    WithdrawalOutbox.enqueue(c, uid, Instant.now());
    deleteStudy(c, uid);
    c.commit();
    WithdrawalOutbox.markSent(c, uid, 204, Instant.now());
    return inFlight;
  }

  /** The withdrawn study of {@code old} sent again, indexed and rebuilt; returns its UID. */
  private String sentAgainAndRebuilt(Connection c, PublicationOutbox.Claimed old, Instant dueAt)
      throws Exception {
    String uid = old.studyInstanceUid();
    insertStudy(c, uid);
    rebuild(c, uid, dueAt);
    return uid;
  }

  /** Makes this row the most overdue one, then claims it: other tests' rows are newer. */
  private PublicationOutbox.Claimed claimMine(Connection c, String uid) throws Exception {
    makeMostOverdue(c, uid);
    Instant now = Instant.now();
    PublicationOutbox.Claimed claimed =
        outbox.claimDue(c, now, now.plus(Duration.ofMinutes(5))).orElseThrow();
    assertThat(claimed.studyInstanceUid()).isEqualTo(uid);
    return claimed;
  }

  /** The study a sender would claim next, now (claimed by this transaction, leased a minute). */
  private Optional<String> nextClaimed(Connection c) throws Exception {
    Instant now = Instant.now();
    return outbox
        .claimDue(c, now, now.plusSeconds(60))
        .map(PublicationOutbox.Claimed::studyInstanceUid);
  }

  private static void makeMostOverdue(Connection c, String uid) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "update publication_outbox set next_attempt_at = '1970-01-01Z' where study_instance_uid = ?")) {
      st.setString(1, uid);
      st.executeUpdate();
    }
  }

  private static void deleteStudy(Connection c, String uid) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement("delete from study where study_instance_uid = ?")) {
      st.setString(1, uid);
      st.executeUpdate();
    }
  }

  /**
   * Removes what a committed test left: the study (its outbox row goes with it), its withdrawal.
   */
  private void remove(String uid) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement("delete from publication_withdrawal where study_instance_uid = ?")) {
      deleteStudy(c, uid);
      st.setString(1, uid);
      st.executeUpdate();
    }
  }

  /** A study row received far in the future, so the running enqueuer never takes it as quiet. */
  private static String study(Connection c) throws Exception {
    String uid = OutboxPendingWhileHubDownTest.uid();
    insertStudy(c, uid);
    return uid;
  }

  private static void insertStudy(Connection c, String uid) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "insert into study (study_instance_uid, patient_id, created_at,"
                + " last_received_at) values (?, 'P', now(), now() + interval '1 day')")) {
      st.setString(1, uid);
      st.executeUpdate();
    }
  }

  private static Object column(Connection c, String uid, String column) throws Exception {
    return value(c, "publication_outbox", uid, column);
  }

  private static Object withdrawal(Connection c, String uid, String column) throws Exception {
    return value(c, "publication_withdrawal", uid, column);
  }

  /** One column of the study's row in {@code table}; timestamps as {@link Timestamp}. */
  private static Object value(Connection c, String table, String uid, String column)
      throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "select " + column + " from " + table + " where study_instance_uid = ?")) {
      st.setString(1, uid);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).as("a row in %s", table).isTrue();
        return rs.getObject(1) instanceof java.time.OffsetDateTime
            ? rs.getTimestamp(1)
            : rs.getObject(1);
      }
    }
  }

  interface Work {
    void run(Connection c) throws Exception;
  }

  interface Step<T> {
    T run(Connection c) throws Exception;
  }

  private void inRolledBackTransaction(Work work) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        work.run(c);
      } finally {
        c.rollback();
      }
    }
  }

  /** Runs {@code step} in a transaction and commits it: the sender reads on its own connection. */
  private <T> T committed(Step<T> step) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      T result = step.run(c);
      c.commit();
      return result;
    }
  }
}
