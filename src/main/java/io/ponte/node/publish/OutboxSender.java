package io.ponte.node.publish;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Sends due outbox rows to the hub with the node's own token, one at a time, and records each
 * outcome on its row. Nothing is ever removed before the hub accepted it, and an accepted row is
 * only marked sent if it was not rebuilt meanwhile, so an outage of the hub, of Keycloak or of this
 * process delays publication but neither loses a study nor leaves the hub with stale content.
 * Re-sends are harmless: the hub's conditional update on the Study Instance UID keeps one resource
 * and ignores unchanged content.
 *
 * <p>Retry policy: no answer, 408, 5xx, 401 and 429 are transient and retried with exponential
 * backoff (429 no sooner than its Retry-After); so is a hub certificate this node does not accept,
 * but it is logged at ERROR and counted as {@code reason="tls_refused"}, not taken for an outage. A
 * refusal the hub calls final (409 {@code ponte:study-owned-by-another-site}: the study UID is
 * registered by another site) is recorded on the row (refused_at, refused_reason), counted ({@code
 * ponte_publication_refused_total{reason}}) and shown in the health check, and the row is not sent
 * again unless a new instance rebuilds it. Any other 4xx means the hub refuses this content or this
 * node (invalid resource, wrong site, scope missing): sending the same bytes again soon cannot
 * help, but dropping them would silently remove the study from the regional registry. Such rows are
 * kept with the hub's answer in last_error, logged at ERROR, counted in the rejected gauge, and
 * retried at the maximum backoff, so that a fix on either side (hub configuration, node
 * configuration, new instance rebuilding the study) heals them without anyone replaying anything.
 */
@ApplicationScoped
public class OutboxSender {

  private static final Logger LOG = Logger.getLogger(OutboxSender.class);

  /** Batches one run may send back to back (2,000 studies at the default batch size). */
  static final int MAX_BATCHES_PER_RUN = 100;

  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  @Inject PublicationOutbox outbox;

  @Inject HubClient hub;

  @Inject PublisherTokens tokens;

  @Inject PublisherStatus status;

  @Inject PublishConfig config;

  private BackoffPolicy backoff;
  private int tokenFailures;
  private Instant tokenRetryAt = Instant.EPOCH;

  @PostConstruct
  void init() {
    backoff = new BackoffPolicy(config.retry().initial(), config.retry().max(), new SecureRandom());
  }

  @Scheduled(
      identity = "ponte-publish-send",
      every = "${ponte.node.publish.poll-interval:2s}",
      delayed = "2s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = PublishingNode.class)
  void scheduled() {
    try {
      drain(this::sendDue, config.batchSize());
    } catch (SQLException e) {
      LOG.warnf("publisher: outbox unavailable (%s); will try again", e.getMessage());
    }
  }

  /** One batch of {@link #sendDue()}. */
  @FunctionalInterface
  public interface Batch {
    int send() throws SQLException;
  }

  /**
   * Sends batch after batch while each is delivered in full, so that after a hub outage the backlog
   * goes out at the hub's pace rather than one batch per poll interval (20 per 2 s: ten thousand
   * studies would take 17 minutes). A batch with any failure or with fewer due rows ends the run;
   * backoff decides the rest. Returns how many were delivered.
   */
  public static int drain(Batch batch, int batchSize) throws SQLException {
    int delivered = 0;
    for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
      int n = batch.send();
      delivered += n;
      if (n < batchSize) {
        break;
      }
    }
    return delivered;
  }

  /** Sends up to a batch of due rows; returns how many the hub accepted. */
  public synchronized int sendDue() throws SQLException {
    int delivered = 0;
    try {
      Instant now = Instant.now();
      if (now.isBefore(tokenRetryAt) || !hasDue(now)) {
        return 0;
      }
      String token = token(false);
      if (token == null) {
        return 0;
      }
      for (int i = 0; i < config.batchSize(); i++) {
        now = Instant.now();
        Optional<PublicationOutbox.Claimed> claimed;
        try (Connection c = dataSource.get().getConnection()) {
          claimed = outbox.claimDue(c, now, now.plus(lease()));
        }
        if (claimed.isEmpty()) {
          break;
        }
        PublicationOutbox.Claimed row = claimed.get();
        Delivery delivery = put(row, token);
        if (delivery.kind() == Delivery.Kind.UNAUTHORIZED) {
          // Keys rotated or token revoked: one fresh token, one more try.
          token = token(true);
          if (token == null) {
            record(row, delivery);
            break;
          }
          delivery = put(row, token);
        }
        record(row, delivery);
        if (delivery.delivered()) {
          delivered++;
        } else if (delivery.kind() == Delivery.Kind.UNAVAILABLE
            && delivery.status() == null
            && delivery.detail().contains("Timeout")) {
          break; // a hanging hub would hold the sender for a whole batch of timeouts
        } else if (delivery.kind() == Delivery.Kind.TLS_REFUSED) {
          break; // every other row would meet the same certificate
        }
      }
      return delivered;
    } finally {
      refreshBacklog();
    }
  }

  /**
   * One attempt. Whatever goes wrong in it is recorded as a failed attempt: an exception escaping
   * here would leave the row leased, that is, not retried for the lease's length.
   */
  private Delivery put(PublicationOutbox.Claimed row, String token) {
    try {
      return hub.put(row.studyInstanceUid(), row.payload(), token);
    } catch (RuntimeException e) {
      LOG.errorf(e, "publisher: sending study %s failed unexpectedly", row.studyInstanceUid());
      return Delivery.unreachable("unexpected " + e);
    }
  }

  private boolean hasDue(Instant now) throws SQLException {
    try (Connection c = dataSource.get().getConnection();
        var st =
            c.prepareStatement(
                "select 1 from publication_outbox where sent_at is null and payload is not null"
                    + " and next_attempt_at <= ? limit 1")) {
      st.setTimestamp(1, java.sql.Timestamp.from(now));
      try (var rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  void record(PublicationOutbox.Claimed row, Delivery delivery) throws SQLException {
    Instant now = Instant.now();
    try (Connection c = dataSource.get().getConnection()) {
      // One transaction: settled without the withdrawal following it, a PUT that reached the hub
      // after the DELETE would leave the deleted study listed for good.
      c.setAutoCommit(false);
      boolean followed;
      try {
        recordOutcome(c, row, delivery, now);
        // An answer means the hub is done with the PUT; without one it may still apply it until
        // the lease ends, longer than an attempt can take.
        Instant dueAt =
            delivery.status() != null || now.isAfter(row.leaseUntil()) ? now : row.leaseUntil();
        followed = WithdrawalOutbox.followPublication(c, row, dueAt);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      if (followed) {
        LOG.infof(
            "publisher: study %s was withdrawn while its publication was on its way; the"
                + " withdrawal is sent again after it",
            row.studyInstanceUid());
      }
    }
  }

  private void recordOutcome(
      Connection c, PublicationOutbox.Claimed row, Delivery delivery, Instant now)
      throws SQLException {
    if (delivery.kind() == Delivery.Kind.REFUSED) {
      String reason = delivery.refusalReason();
      boolean current =
          outbox.markRefused(c, row, delivery.status(), reason, delivery.detail(), now);
      if (current) {
        status.refused(reason);
        LOG.errorf(
            "publisher: the hub REFUSED study %s for good (%s): %s. Not retried; the study stays"
                + " in the outbox, marked refused, until a new instance rebuilds it.",
            row.studyInstanceUid(), reason, delivery.detail());
      }
      return;
    }
    if (delivery.delivered()) {
      boolean current = outbox.markSent(c, row, delivery.status(), now);
      status.delivered();
      LOG.infof(
          "publisher: study %s published to the hub (HTTP %d)%s",
          row.studyInstanceUid(),
          delivery.status(),
          current ? "" : "; rebuilt meanwhile, the newer content follows");
      return;
    }
    int failures = row.attempts() + 1;
    Duration wait = backoff.after(delivery, failures);
    boolean current =
        outbox.markFailed(c, row, delivery.status(), delivery.detail(), now.plus(wait), now);
    status.failed(delivery.kind().name().toLowerCase(java.util.Locale.ROOT), delivery.detail());
    if (!current) {
      LOG.debugf(
          "publisher: study %s rebuilt while sending; the new content is due now",
          row.studyInstanceUid());
      return;
    }
    if (delivery.kind() == Delivery.Kind.REJECTED) {
      LOG.errorf(
          "publisher: the hub REFUSED study %s (attempt %d): %s. Kept in the outbox; retried every %s"
              + " until the hub accepts it or a new instance rebuilds it.",
          row.studyInstanceUid(), failures, delivery.detail(), wait);
    } else if (!TlsRefusalLog.logged(
        LOG,
        "publisher: study " + row.studyInstanceUid() + " (attempt " + failures + ")",
        delivery,
        wait)) {
      LOG.warnf(
          "publisher: study %s not delivered (attempt %d): %s; next try in %s",
          row.studyInstanceUid(), failures, delivery.detail(), wait);
    }
  }

  private String token(boolean forceNew) {
    try {
      String token = tokens.accessToken(forceNew);
      tokenFailures = 0;
      return token;
    } catch (RuntimeException e) {
      tokenFailures++;
      Duration wait = backoff.delay(tokenFailures);
      tokenRetryAt = Instant.now().plus(wait);
      status.failed("token", "no token from the identity provider: " + e.getMessage());
      LOG.warnf(
          "publisher: no service token (%s); outbox kept, next try in %s", e.getMessage(), wait);
      return null;
    }
  }

  private Duration lease() {
    // Longer than one attempt can take, so that only a crashed sender's rows become due again.
    return config
        .timeouts()
        .connect()
        .plus(config.timeouts().request())
        .multipliedBy(2)
        .plusSeconds(30);
  }

  private void refreshBacklog() {
    try (Connection c = dataSource.get().getConnection()) {
      status.backlog(outbox.backlog(c));
    } catch (SQLException e) {
      LOG.debugf("publisher: backlog not counted: %s", e.getMessage());
    }
  }
}
