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
 * Sends due withdrawals ({@link WithdrawalOutbox}) to the hub with the node's own token, as the
 * {@link OutboxSender} sends publications. Only a 2xx marks one sent (the hub answers 204 also for
 * a study it no longer has); anything else is retried with backoff, a 4xx at the maximum backoff
 * and logged at ERROR, so that a withdrawal is never silently dropped. A hub certificate this node
 * does not accept is logged at ERROR too, naming the setting to check ({@link TlsRefusalLog}).
 */
@ApplicationScoped
public class WithdrawalSender {

  private static final Logger LOG = Logger.getLogger(WithdrawalSender.class);

  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  @Inject HubClient hub;

  @Inject PublisherTokens tokens;

  @Inject PublishConfig config;

  private BackoffPolicy backoff;

  @PostConstruct
  void init() {
    backoff = new BackoffPolicy(config.retry().initial(), config.retry().max(), new SecureRandom());
  }

  @Scheduled(
      identity = "ponte-publish-withdraw",
      every = "${ponte.node.publish.poll-interval:2s}",
      delayed = "3s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = PublishingNode.class)
  void scheduled() {
    try {
      sendDue();
    } catch (SQLException | RuntimeException e) {
      LOG.warnf("publisher: withdrawals not sent (%s); will try again", e.getMessage());
    }
  }

  /** Sends up to a batch of due withdrawals; returns how many the hub accepted. */
  public synchronized int sendDue() throws SQLException {
    String token = null;
    boolean forceNew = false;
    int sent = 0;
    for (int i = 0; i < config.batchSize(); i++) {
      Instant now = Instant.now();
      Optional<WithdrawalOutbox.Claimed> claimed;
      try (Connection c = dataSource.get().getConnection()) {
        claimed = WithdrawalOutbox.claimDue(c, now, now.plus(Duration.ofMinutes(2)));
      }
      if (claimed.isEmpty()) {
        break;
      }
      WithdrawalOutbox.Claimed row = claimed.get();
      Delivery delivery;
      try {
        if (token == null) {
          token = tokens.accessToken(forceNew);
          forceNew = false;
        }
        delivery = hub.delete(row.studyInstanceUid(), token);
      } catch (RuntimeException e) {
        delivery = Delivery.unreachable(e.toString());
      }
      now = Instant.now();
      try (Connection c = dataSource.get().getConnection()) {
        Integer status = delivery.status();
        if (status != null && status / 100 == 2) {
          if (WithdrawalOutbox.markSent(c, row.studyInstanceUid(), row, status, now)) {
            LOG.infof("publisher: study %s withdrawn at the hub", row.studyInstanceUid());
          } else {
            LOG.infof(
                "publisher: study %s withdrawn at the hub; queued again meanwhile (a publication"
                    + " may have reached the hub after it), so it is sent again",
                row.studyInstanceUid());
          }
          sent++;
          continue;
        }
        Duration wait = backoff.after(delivery, row.attempts() + 1);
        WithdrawalOutbox.markFailed(
            c, row.studyInstanceUid(), status, delivery.detail(), now.plus(wait), now);
        logFailure(row.studyInstanceUid(), delivery, wait);
        if (delivery.kind() == Delivery.Kind.UNAUTHORIZED) {
          token = null;
          forceNew = true;
        }
        if (status == null) {
          break; // the hub is unreachable: the rest would fail the same way
        }
      }
    }
    return sent;
  }

  /** One failed attempt, in the log: ERROR where waiting alone cannot heal it, else WARN. */
  static void logFailure(String study, Delivery delivery, Duration wait) {
    if (delivery.kind() == Delivery.Kind.REJECTED) {
      LOG.errorf(
          "publisher: the hub REFUSED the withdrawal of study %s: %s; retried every %s",
          study, delivery.detail(), wait);
    } else if (!TlsRefusalLog.logged(
        LOG, "publisher: withdrawal of study " + study, delivery, wait)) {
      LOG.warnf(
          "publisher: withdrawal of study %s not delivered: %s; next try in %s",
          study, delivery.detail(), wait);
    }
  }
}
