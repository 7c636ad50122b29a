package io.ponte.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.node.publish.Delivery;
import io.ponte.testing.CapturedLog;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * What a failed batch of audit records says in the node's log: a hub certificate the node refuses
 * is an ERROR naming the setting to check, as for a publication; a 4xx an ERROR of its own; a hub
 * that is down only a WARN.
 */
class NodeAuditSenderTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aRefusedHubCertificateIsAnErrorNamingTheSettingToCheck() {
    try (CapturedLog log = CapturedLog.of(NodeAuditSender.class)) {
      NodeAuditSender.logFailure(7, Delivery.tlsRefused("No subject alternative names"), WAIT);
      assertThat(log.single(Level.SEVERE))
          .contains("node audit: 7 records not sent", "TLS: the hub's certificate")
          .contains("ponte.node.publish.tls-configuration-name", "next try in PT30S");
    }
  }

  @Test
  void aRefusalIsAnErrorAndAnOutageAWarningNeitherNamingTheSetting() {
    try (CapturedLog log = CapturedLog.of(NodeAuditSender.class)) {
      NodeAuditSender.logFailure(7, Delivery.of(403, "scope missing", Optional.empty()), WAIT);
      NodeAuditSender.logFailure(7, Delivery.unreachable("Connection refused"), WAIT);
      assertThat(log.single(Level.SEVERE)).contains("REFUSED 7 records", "HTTP 403");
      assertThat(log.atLeast(Level.WARNING)).hasSize(2);
      assertThat(log.atLeast(Level.WARNING))
          .extracting(CapturedLog::text)
          .noneMatch(text -> text.contains("tls-configuration-name"));
    }
  }
}
