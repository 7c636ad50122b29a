package io.ponte.tls;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import java.net.URI;
import java.security.cert.CertificateException;

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
   * Whether a failed call was refused for the peer's certificate (not issued by a trusted CA, not
   * naming the URL's host, expired) rather than for want of an answer: an operator fixes the one in
   * certificates, the other by bringing the peer back. A handshake the peer merely broke off (a
   * restart) is an outage, not a refusal.
   */
  public static boolean refusal(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses, at start-up, a peer URL that is not {@code https} while {@code setting} names a trust
   * configuration: a typo or a stale overlay would otherwise send the token and what follows it in
   * clear, with nobody told.
   */
  public static void requireHttps(String setting, String url) {
    if (!URI.create(url).getScheme().equalsIgnoreCase("https")) {
      throw new IllegalStateException(
          setting + " names a TLS configuration, but " + url + " is not an https URL");
    }
  }
}
