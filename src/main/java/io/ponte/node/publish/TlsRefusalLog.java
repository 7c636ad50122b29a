package io.ponte.node.publish;

import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * How the node's senders to the hub (publications, withdrawals, audit records) log an attempt the
 * hub's certificate stopped ({@link Delivery.Kind#TLS_REFUSED}): at ERROR, naming the setting to
 * check, because a certificate or a setting to fix is not an outage that waiting heals. One line
 * per attempt, as every other failed attempt: each sender ends its run at such a refusal.
 */
public final class TlsRefusalLog {

  static final String CHECK =
      "Check the hub's certificate against ponte.node.publish.tls-configuration-name and the hub"
          + " URL's host";

  private TlsRefusalLog() {}

  /**
   * Logs {@code delivery} at ERROR if the hub's certificate was refused, as "{@code what} not sent:
   * …"; returns whether it did, so that the caller logs any other failure its own way.
   */
  public static boolean logged(Logger log, String what, Delivery delivery, Duration wait) {
    if (delivery.kind() != Delivery.Kind.TLS_REFUSED) {
      return false;
    }
    log.errorf("%s not sent: %s. %s; next try in %s", what, delivery.detail(), CHECK, wait);
    return true;
  }
}
