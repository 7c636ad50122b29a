package io.ponte.node.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.ponte.testing.CapturedLog;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * What a failed withdrawal says in the node's log: a hub certificate the node refuses is an ERROR
 * naming the setting to check, as for a publication; a hub that is down only a WARN.
 */
class WithdrawalSenderTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aRefusedHubCertificateIsAnErrorNamingTheSettingToCheck() {
    try (CapturedLog log = CapturedLog.of(WithdrawalSender.class)) {
      WithdrawalSender.logFailure("1.2.3", Delivery.tlsRefused("PKIX path building failed"), WAIT);
      assertThat(log.single(Level.SEVERE))
          .contains("withdrawal of study 1.2.3 not sent", "TLS: the hub's certificate")
          .contains("ponte.node.publish.tls-configuration-name", "next try in PT30S");
    }
  }

  @Test
  void aHubThatIsDownIsOnlyAWarning() {
    try (CapturedLog log = CapturedLog.of(WithdrawalSender.class)) {
      WithdrawalSender.logFailure("1.2.3", Delivery.unreachable("Connection refused"), WAIT);
      assertThat(log.atLeast(Level.SEVERE)).isEmpty();
      assertThat(log.single(Level.WARNING))
          .contains("1.2.3", "Connection refused")
          .doesNotContain("tls-configuration-name");
    }
  }
}
