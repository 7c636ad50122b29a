package io.ponte.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class VerifiedTrustTest {

  @Test
  void aCertificateRefusedAnywhereInTheCauseIsARefusalAHandshakeBrokenOffIsNot() {
    SSLHandshakeException untrusted = new SSLHandshakeException("Failed to create SSL connection");
    untrusted.initCause(new CertificateException("PKIX path building failed"));
    assertThat(VerifiedTrust.refusal(new IOException(untrusted))).isTrue();
    // A peer restarting mid-handshake: an outage, not a certificate to fix.
    assertThat(
            VerifiedTrust.refusal(
                new SSLHandshakeException("Remote host terminated the handshake")))
        .isFalse();
    assertThat(VerifiedTrust.refusal(new java.net.ConnectException("refused"))).isFalse();
    assertThat(VerifiedTrust.refusal(null)).isFalse();
  }

  @Test
  void withATrustConfigurationNamedEveryPeerUrlMustBeHttps() {
    assertThatThrownBy(() -> VerifiedTrust.requireHttps("s", "http://ponte-hub:8080"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http://ponte-hub:8080 is not an https URL");
    assertThatCode(() -> VerifiedTrust.requireHttps("s", "HTTPS://ponte-hub:8443"))
        .doesNotThrowAnyException();
  }
}
