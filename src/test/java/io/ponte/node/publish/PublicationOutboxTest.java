package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The outbox's guarantees, each in one transaction that is rolled back (so the running publisher
 * never sees these rows): a result recorded for content that was rebuilt meanwhile never hides the
 * new content, an older build never replaces a newer one, and content the hub already has is not
 * sent again.
 */
@QuarkusTest
@TestProfile(PublisherTestProfile.class)
class PublicationOutboxTest {

  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @Inject
  @DataSource("node")
  AgroalDataSource dataSource;

  @Inject PublicationOutbox outbox;

  @Test
  void aSendOfContentRebuiltMeanwhileIsNotMarkedSent() throws Exception {
    inRolledBackTransaction(
        c -> {
          String uid = study(c);
          outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0);
          PublicationOutbox.Claimed claimed = claimMine(c, uid);
          outbox.upsert(
              c, uid, "{\"v\":2}", "b".repeat(64), T0.plusSeconds(5), null, T0.plusSeconds(6));

          assertThat(outbox.markSent(c, claimed, 201, T0.plusSeconds(7))).isFalse();
          assertThat(column(c, uid, "sent_at")).isNull();
          assertThat(column(c, uid, "payload")).isEqualTo("{\"v\":2}");
          assertThat(column(c, uid, "next_attempt_at"))
              .isEqualTo(Timestamp.from(T0.plusSeconds(6)));
        });
  }

  @Test
  void aFailureOfContentRebuiltMeanwhileDoesNotDelayTheNewContent() throws Exception {
    inRolledBackTransaction(
        c -> {
          String uid = study(c);
          outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0);
          PublicationOutbox.Claimed claimed = claimMine(c, uid);
          outbox.upsert(
              c, uid, "{\"v\":2}", "b".repeat(64), T0.plusSeconds(5), null, T0.plusSeconds(6));

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
          String uid = study(c);
          outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0);
          PublicationOutbox.Claimed claimed = claimMine(c, uid);
          assertThat(outbox.markSent(c, claimed, 201, T0.plusSeconds(1))).isTrue();
          assertThat(column(c, uid, "sent_sha256")).isEqualTo("a".repeat(64));
          assertThat(column(c, uid, "next_attempt_at")).isNull();
          assertThat(column(c, uid, "attempts")).isEqualTo(0);
        });
  }

  @Test
  void rebuildingToContentTheHubAlreadyHasSendsNothing() throws Exception {
    inRolledBackTransaction(
        c -> {
          String uid = study(c);
          outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0);
          outbox.markSent(c, claimMine(c, uid), 201, T0.plusSeconds(1));
          outbox.upsert(
              c, uid, "{\"v\":1}", "a".repeat(64), T0.plusSeconds(10), null, T0.plusSeconds(11));
          assertThat(column(c, uid, "sent_at")).isNotNull();
          assertThat(column(c, uid, "next_attempt_at")).isNull();
          // while different content is due again
          outbox.upsert(
              c, uid, "{\"v\":2}", "b".repeat(64), T0.plusSeconds(20), null, T0.plusSeconds(21));
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
          outbox.upsert(
              c, uid, "{\"v\":2}", "b".repeat(64), T0.plusSeconds(10), null, T0.plusSeconds(11));
          outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0.plusSeconds(12));
          assertThat(column(c, uid, "payload")).isEqualTo("{\"v\":2}");
          assertThat(column(c, uid, "generation")).isEqualTo(1L);
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
          outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0.plusSeconds(5), null, T0);
          makeMostOverdue(c, uid);
          Instant now = Instant.now();
          assertThat(
                  outbox
                      .claimDue(c, now, now.plusSeconds(60))
                      .map(PublicationOutbox.Claimed::studyInstanceUid))
              .isNotEqualTo(Optional.of(uid));

          WithdrawalOutbox.markSent(c, uid, 204, T0.plusSeconds(10));
          claimMine(c, uid);
        });
  }

  @Test
  void aWithdrawalQueuedWhileAPublicationIsOnItsWayIsDueOnlyWhenItsLeaseEnds() throws Exception {
    inRolledBackTransaction(
        c -> {
          String uid = study(c);
          outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0);
          claimMine(c, uid);
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
          String uid = study(c);
          outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0);
          outbox.markSent(c, claimMine(c, uid), 201, T0.plusSeconds(1));
          WithdrawalOutbox.enqueue(c, uid, T0.plusSeconds(60));
          assertThat(withdrawal(c, uid, "next_attempt_at"))
              .isEqualTo(Timestamp.from(T0.plusSeconds(60)));
        });
  }

  @Test
  void aPublicationThatReachedTheHubAfterTheWithdrawalIsFollowedByTheWithdrawalAgain()
      throws Exception {
    PublicationOutbox.Claimed inFlight = claimedThenWithdrawnAndWithdrawalSent();
    String uid = inFlight.studyInstanceUid();
    try {
      sender.record(inFlight, Delivery.of(201, "", Optional.empty()));
      try (Connection c = dataSource.getConnection()) {
        assertThat(withdrawal(c, uid, "sent_at")).as("the withdrawal is due again").isNull();
      }
    } finally {
      deleteWithdrawals(uid);
    }
  }

  @Test
  void aPublicationLeftWithoutAnswerIsFollowedByTheWithdrawalOnceItsLeaseEnds() throws Exception {
    PublicationOutbox.Claimed inFlight = claimedThenWithdrawnAndWithdrawalSent();
    String uid = inFlight.studyInstanceUid();
    try {
      // the hub may still apply the PUT until the lease ends
      sender.record(inFlight, Delivery.unreachable("HttpTimeoutException: request timed out"));
      try (Connection c = dataSource.getConnection()) {
        assertThat(withdrawal(c, uid, "sent_at")).isNull();
        assertThat(((Timestamp) withdrawal(c, uid, "next_attempt_at")).toInstant())
            .isCloseTo(
                inFlight.leaseUntil(),
                org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MILLIS));
      }
    } finally {
      deleteWithdrawals(uid);
    }
  }

  /**
   * A publication claimed (its PUT on its way), then delete-expired: the study leaves the index,
   * its withdrawal is queued and reaches the hub before the PUT does. Committed, as the sender
   * records on its own connection.
   */
  private PublicationOutbox.Claimed claimedThenWithdrawnAndWithdrawalSent() throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      String uid = study(c);
      outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0);
      PublicationOutbox.Claimed inFlight = claimMine(c, uid);
      c.commit();
      WithdrawalOutbox.enqueue(c, uid, Instant.now());
      deleteStudy(c, uid);
      c.commit();
      WithdrawalOutbox.markSent(c, uid, 204, Instant.now());
      c.commit();
      return inFlight;
    }
  }

  @Test
  void aStudySentAgainWhileAnOldPublicationWasOnItsWayIsPublishedAgainAfterTheWithdrawal()
      throws Exception {
    String uid;
    PublicationOutbox.Claimed inFlight;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      uid = study(c);
      outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0);
      inFlight = claimMine(c, uid);
      c.commit();
      WithdrawalOutbox.enqueue(c, uid, Instant.now());
      deleteStudy(c, uid);
      c.commit();
      WithdrawalOutbox.markSent(c, uid, 204, Instant.now());
      // sent again, indexed, built and published (by another sender) before the old PUT ended
      insertStudy(c, uid);
      outbox.upsert(c, uid, "{\"v\":2}", "b".repeat(64), T0.plusSeconds(5), null, T0);
      assertThat(outbox.markSent(c, claimMine(c, uid), 201, Instant.now())).isTrue();
      c.commit();
    }
    try {
      sender.record(inFlight, Delivery.of(201, "", Optional.empty()));
      try (Connection c = dataSource.getConnection()) {
        assertThat(withdrawal(c, uid, "sent_at")).as("the withdrawal is due again").isNull();
        assertThat(column(c, uid, "sent_at")).as("and the new content after it").isNull();
        assertThat(column(c, uid, "payload")).isEqualTo("{\"v\":2}");
        makeMostOverdue(c, uid);
        Instant now = Instant.now();
        assertThat(
                outbox
                    .claimDue(c, now, now.plusSeconds(60))
                    .map(PublicationOutbox.Claimed::studyInstanceUid))
            .as("not before the withdrawal")
            .isNotEqualTo(Optional.of(uid));
      }
    } finally {
      try (Connection c = dataSource.getConnection()) {
        deleteStudy(c, uid);
      }
      deleteWithdrawals(uid);
    }
  }

  /**
   * The outcome of a PUT and the withdrawal following it are one transaction: here the old PUT's
   * 201 matches the new row (same generation, since the row was dropped with the study and built
   * anew), and only the following withdrawal, bumping the row, keeps it from being taken for sent.
   * Should that step fail, the outcome must not stay recorded alone: the new content, never sent,
   * would be marked sent and never published.
   */
  @Test
  void anOutcomeIsNotRecordedWhenTheWithdrawalFollowingItFails() throws Exception {
    String uid;
    PublicationOutbox.Claimed inFlight;
    // not due before the test is over, so the running publisher leaves the new row alone
    Instant later =
        Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      uid = study(c);
      outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0);
      inFlight = claimMine(c, uid);
      c.commit();
      WithdrawalOutbox.enqueue(c, uid, Instant.now());
      deleteStudy(c, uid);
      c.commit();
      WithdrawalOutbox.markSent(c, uid, 204, Instant.now());
      // sent again and built before the old PUT ended
      insertStudy(c, uid);
      outbox.upsert(c, uid, "{\"v\":2}", "b".repeat(64), T0.plusSeconds(5), null, later);
      c.commit();
    }
    try (Connection c = dataSource.getConnection();
        var st = c.createStatement()) {
      st.execute(
          "create or replace function ponte_test_refuse_update() returns trigger"
              + " language plpgsql as $$ begin raise exception 'refused by the test'; end $$");
      st.execute(
          "create trigger ponte_test_refuse_withdrawal before update on publication_withdrawal"
              + " for each row when (old.study_instance_uid = '"
              + uid
              + "') execute function ponte_test_refuse_update()");
    }
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> sender.record(inFlight, Delivery.of(201, "", Optional.empty())))
          .hasMessageContaining("refused by the test");
      try (Connection c = dataSource.getConnection()) {
        assertThat(column(c, uid, "sent_at")).as("the old PUT's 201 rolled back").isNull();
        assertThat(column(c, uid, "sent_sha256")).isNull();
        assertThat(column(c, uid, "last_status")).isNull();
        assertThat(column(c, uid, "generation")).isEqualTo(1L);
        assertThat(column(c, uid, "next_attempt_at"))
            .as("the new content still due")
            .isEqualTo(Timestamp.from(later));
        assertThat(withdrawal(c, uid, "sent_at")).isNotNull();
      }
    } finally {
      try (Connection c = dataSource.getConnection();
          var st = c.createStatement()) {
        st.execute("drop trigger ponte_test_refuse_withdrawal on publication_withdrawal");
        st.execute("drop function ponte_test_refuse_update()");
        deleteStudy(c, uid);
      }
      deleteWithdrawals(uid);
    }
  }

  @Test
  void aPublicationClaimedAfterTheWithdrawalReachedTheHubDoesNotSendItAgain() throws Exception {
    String uid;
    PublicationOutbox.Claimed claimed;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      uid = study(c);
      WithdrawalOutbox.enqueue(c, uid, T0);
      WithdrawalOutbox.markSent(c, uid, 204, T0.plusSeconds(1));
      outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0.plusSeconds(5), null, T0);
      claimed = claimMine(c, uid);
      c.commit();
    }
    try {
      sender.record(claimed, Delivery.of(201, "", Optional.empty()));
      try (Connection c = dataSource.getConnection()) {
        assertThat(withdrawal(c, uid, "sent_at")).isEqualTo(Timestamp.from(T0.plusSeconds(1)));
        assertThat(column(c, uid, "sent_at")).isNotNull();
      }
    } finally {
      try (Connection c = dataSource.getConnection()) {
        deleteStudy(c, uid);
      }
      deleteWithdrawals(uid);
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
              new PublicationOutbox.Claimed(uid, "{}", "a".repeat(64), 1, 0, T0, now);
          assertThat(WithdrawalOutbox.followPublication(c, p, now)).isTrue();

          assertThat(WithdrawalOutbox.markSent(c, uid, w, 204, now)).isFalse();
          assertThat(withdrawal(c, uid, "sent_at")).isNull();
        });
  }

  @Test
  void aClaimedRowIsLeasedSoNoOtherSenderTakesItMeanwhile() throws Exception {
    inRolledBackTransaction(
        c -> {
          String uid = study(c);
          outbox.upsert(c, uid, "{\"v\":1}", "a".repeat(64), T0, null, T0);
          claimMine(c, uid);
          Instant now = Instant.now();
          Optional<PublicationOutbox.Claimed> next = outbox.claimDue(c, now, now.plusSeconds(60));
          assertThat(next.map(PublicationOutbox.Claimed::studyInstanceUid))
              .isNotEqualTo(Optional.of(uid));
        });
  }

  @Test
  void aFinalRefusalIsKeptWithItsReasonCountedShownAndNotRetriedWhileTransientErrorsAre()
      throws Exception {
    String refusedUid;
    String transientUid;
    PublicationOutbox.Claimed refused;
    PublicationOutbox.Claimed failed;
    // Committed (the sender records on its own connection); the rows are claimed in the same
    // transaction, so the running publisher never takes them first.
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      refusedUid = study(c);
      transientUid = study(c);
      Instant now = Instant.now();
      outbox.upsert(c, refusedUid, "{\"v\":1}", "a".repeat(64), now, null, now);
      outbox.upsert(c, transientUid, "{\"v\":1}", "b".repeat(64), now, null, now);
      refused = claimMine(c, refusedUid);
      failed = claimMine(c, transientUid);
      c.commit();
    }
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
      outbox.upsert(c, refusedUid, "{\"v\":2}", "c".repeat(64), later, null, later);
      assertThat(column(c, refusedUid, "refused_at")).isNull();
      assertThat(column(c, refusedUid, "next_attempt_at")).isNotNull();
      try (PreparedStatement st =
          c.prepareStatement("delete from study where study_instance_uid in (?, ?)")) {
        st.setString(1, refusedUid);
        st.setString(2, transientUid);
        st.executeUpdate();
      }
    }
  }

  @Inject OutboxSender sender;

  @Inject io.micrometer.core.instrument.MeterRegistry registry;

  private double refusedCount(String reason) {
    var counter = registry.find("ponte.publication.refused").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
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

  private static void makeMostOverdue(Connection c, String uid) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "update publication_outbox set next_attempt_at = '1970-01-01Z' where study_instance_uid = ?")) {
      st.setString(1, uid);
      st.executeUpdate();
    }
  }

  private static Object withdrawal(Connection c, String uid, String column) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "select " + column + " from publication_withdrawal where study_instance_uid = ?")) {
      st.setString(1, uid);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getObject(1) instanceof java.time.OffsetDateTime
            ? rs.getTimestamp(1)
            : rs.getObject(1);
      }
    }
  }

  private static void deleteStudy(Connection c, String uid) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement("delete from study where study_instance_uid = ?")) {
      st.setString(1, uid);
      st.executeUpdate();
    }
  }

  private void deleteWithdrawals(String uid) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement("delete from publication_withdrawal where study_instance_uid = ?")) {
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
    try (PreparedStatement st =
        c.prepareStatement(
            "select " + column + " from publication_outbox where study_instance_uid = ?")) {
      st.setString(1, uid);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getObject(1) instanceof java.time.OffsetDateTime
            ? rs.getTimestamp(1)
            : rs.getObject(1);
      }
    }
  }

  interface Work {
    void run(Connection c) throws Exception;
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
}
