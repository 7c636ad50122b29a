package io.ponte.tls;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import javax.net.ssl.SSLException;

/**
 * The trust one Ponte process places in another: a named TLS configuration ({@code
 * quarkus.tls.<name>.trust-store.*}, a cluster's private CA, say). Both directions send something
 * that must reach only the real peer (the hub its service token, which reads every node's images; a
 * node its patients' identifiers), so a configuration that trusts all, or names no trust store and
 * would silently fall back to another one, is refused at start-up rather than used.
 */
public final class VerifiedTrust {

  private VerifiedTrust() {}

  /**
   * The configuration {@code name}, which {@code setting} names; throws, saying why, if it does not
   * exist, trusts all or has no trust store. {@code what} completes "must not trust all: ..." (what
   * the process sends to whoever answers).
   */
  public static TlsConfiguration require(
      TlsConfigurationRegistry registry, String setting, String name, String what) {
    TlsConfiguration tls =
        registry
            .get(name)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        setting + "=" + name + ": no quarkus.tls." + name + ".* configuration"));
    if (tls.isTrustAll() || tls.getTrustStoreOptions() == null) {
      throw new IllegalStateException(
          "quarkus.tls." + name + " must have a trust store and must not trust all: " + what);
    }
    return tls;
  }

  /**
   * Whether a failed call failed in TLS (a certificate not trusted or not naming the host, a
   * handshake the peer broke off) rather than for want of an answer: an operator fixes the one in
   * certificates, the other by bringing the peer back.
   */
  public static boolean refusal(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }
}
