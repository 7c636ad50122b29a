package io.ponte.node.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.ponte.node.publish.BackoffPolicy;
import io.ponte.node.publish.Delivery;
import io.ponte.node.publish.HubClient;
import io.ponte.node.publish.OutboxSender;
import io.ponte.node.publish.PublishConfig;
import io.ponte.node.publish.PublisherTokens;
import io.ponte.node.publish.PublishingNode;
import io.ponte.node.publish.TlsRefusalLog;
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
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sends the node's audit records to the hub ({@code POST /api/audit/node-records}), a batch per
 * request, with what the publisher uses: its token ({@link PublisherTokens}), its HTTP client and
 * answer classes ({@link HubClient}, {@link Delivery}), its backoff ({@link BackoffPolicy}) and its
 * draining of a backlog ({@link OutboxSender#drain}). Entries leave the outbox only once the hub
 * accepted them; the hub skips records it already has, so a re-send after a lost answer is
 * harmless. A refusal (another 4xx) is kept and retried at the maximum backoff, as a publication; a
 * hub certificate this node does not accept is logged at ERROR naming the setting to check, as for
 * a publication ({@link TlsRefusalLog}).
 */
@ApplicationScoped
public class NodeAuditSender {

  private static final Logger LOG = Logger.getLogger(NodeAuditSender.class);

  static final String PATH = "/api/audit/node-records";

  @Inject
  @DataSource("node")
  InjectableInstance<AgroalDataSource> dataSource;

  @Inject NodeAuditOutbox outbox;

  @Inject HubClient hub;

  @Inject PublisherTokens tokens;

  @Inject PublishConfig publish;

  @Inject NodeAuditConfig config;

  @Inject ObjectMapper json;

  private BackoffPolicy backoff;

  @PostConstruct
  void init() {
    backoff =
        new BackoffPolicy(publish.retry().initial(), publish.retry().max(), new SecureRandom());
  }

  @Scheduled(
      identity = "ponte-node-audit-send",
      every = "${ponte.node.publish.poll-interval:2s}",
      delayed = "3s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = PublishingNode.class)
  void scheduled() {
    try {
      OutboxSender.drain(this::sendDue, config.sendBatchSize());
    } catch (SQLException e) {
      LOG.warnf("node audit: outbox unavailable (%s); will try again", e.getMessage());
    }
  }

  /** Sends one batch of due records; returns how many the hub accepted. */
  public synchronized int sendDue() throws SQLException {
    Instant now = Instant.now();
    NodeAuditOutbox.Claimed claimed;
    try (Connection c = dataSource.get().getConnection()) {
      if (!outbox.hasDue(c, now)) {
        return 0;
      }
      claimed = outbox.claimDue(c, now, now.plus(lease()), config.sendBatchSize());
    }
    if (claimed.ids().isEmpty()) {
      return 0;
    }
    Delivery delivery = send(claimed, false);
    if (delivery.kind() == Delivery.Kind.UNAUTHORIZED) {
      delivery = send(claimed, true);
    }
    Instant after = Instant.now();
    try (Connection c = dataSource.get().getConnection()) {
      if (delivery.delivered()) {
        outbox.markSent(c, claimed.ids());
        LOG.debugf("node audit: %d records delivered to the hub", claimed.ids().size());
        return claimed.ids().size();
      }
      int failures = claimed.attempts() + 1;
      Duration wait = backoff.after(delivery, failures);
      outbox.markFailed(
          c, claimed.ids(), delivery.status(), delivery.detail(), after.plus(wait), after);
      logFailure(claimed.ids().size(), delivery, wait);
      return 0;
    }
  }

  /** One failed attempt, in the log: ERROR where waiting alone cannot heal it, else WARN. */
  static void logFailure(int records, Delivery delivery, Duration wait) {
    if (delivery.kind() == Delivery.Kind.REJECTED) {
      LOG.errorf(
          "node audit: the hub REFUSED %d records: %s; kept, retried every %s",
          records, delivery.detail(), wait);
    } else if (!TlsRefusalLog.logged(LOG, "node audit: " + records + " records", delivery, wait)) {
      LOG.warnf(
          "node audit: %d records not delivered (%s); next try in %s",
          records, delivery.detail(), wait);
    }
  }

  private Delivery send(NodeAuditOutbox.Claimed claimed, boolean freshToken) {
    try {
      String token = tokens.accessToken(freshToken);
      return hub.post(PATH, json.writeValueAsString(Map.of("records", claimed.records())), token);
    } catch (JsonProcessingException e) {
      return Delivery.unreachable("records not serialisable: " + e.getMessage());
    } catch (RuntimeException e) {
      return Delivery.unreachable("no service token or no answer: " + e.getMessage());
    }
  }

  private Duration lease() {
    return publish
        .timeouts()
        .connect()
        .plus(publish.timeouts().request())
        .multipliedBy(2)
        .plusSeconds(30);
  }
}
