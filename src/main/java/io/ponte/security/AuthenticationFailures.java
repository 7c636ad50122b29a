package io.ponte.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ponte.error.ErrorDetails;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The edge of bearer authentication, hub and node alike.
 *
 * <p>A token whose JOSE header does not name the realm's signature algorithm ({@code
 * quarkus.oidc.token.signature-algorithm}, RS256) and a key id is forged or foreign ({@code alg:
 * none}, HS256 signed with a guessed secret): its Authorization header is dropped before Quarkus
 * OIDC sees it, so the request is plainly unauthenticated (401 with the usual body) and no such
 * token makes the process fetch keys from Keycloak or log an error.
 *
 * <p>Every 401 answered, whatever refused it, is logged as one WARN line (method, path, remote
 * address, reason; never the token) and counted in {@code ponte_authentication_failures_total
 * {reason}}, reason one of {@link Reason}: a burst of them is someone guessing, or a client whose
 * credentials broke.
 */
@ApplicationScoped
public class AuthenticationFailures {

  private static final Logger LOG = Logger.getLogger(AuthenticationFailures.class);

  /** Why a request was not signed in: a small, fixed set, so the metric stays bounded. */
  public enum Reason {
    /** No Authorization header. */
    MISSING,
    /** Not a bearer JWT (another scheme, not three base64url JSON parts). */
    MALFORMED,
    /** Not signed with the realm's algorithm and a key id (alg none, HS256, ...). */
    ALGORITHM,
    /** Past its exp. */
    EXPIRED,
    /** Well formed but refused: signature, issuer, audience or token type. */
    REJECTED;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String REASON_KEY = "ponte.authentication.reason";

  @Inject MeterRegistry registry;

  @ConfigProperty(name = "quarkus.oidc.token.signature-algorithm", defaultValue = "RS256")
  String algorithm;

  /** Before authentication (which is lazy: JAX-RS) and after the request id. */
  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 20).handler(this::handle);
  }

  void handle(RoutingContext context) {
    String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
    String token = BearerTokenHeader.token(authorization);
    if (token != null) {
      BearerTokenHeader header = BearerTokenHeader.of(token);
      if (header != null && !header.signedAs(algorithm)) {
        context.put(REASON_KEY, Reason.ALGORITHM);
        context.request().headers().remove(HttpHeaders.AUTHORIZATION);
      }
    }
    context.addHeadersEndHandler(
        v -> {
          if (context.response().getStatusCode() == 401) {
            Reason reason = context.get(REASON_KEY);
            failed(context, reason != null ? reason : reason(authorization));
          }
        });
    context.next();
  }

  private void failed(RoutingContext context, Reason reason) {
    Counter.builder("ponte.authentication.failures")
        .description("Requests answered 401, by reason")
        .tag("reason", reason.tag())
        .register(registry)
        .increment();
    var remote = context.request().remoteAddress();
    LOG.warnf(
        "authentication failed (%s): %s %s from %s",
        reason.tag(),
        context.request().method(),
        ErrorDetails.quote(context.request().path()),
        remote == null ? "?" : remote.hostAddress());
  }

  /** Why a request carrying this Authorization value was answered 401. */
  static Reason reason(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Reason.MISSING;
    }
    BearerTokenHeader header = BearerTokenHeader.of(BearerTokenHeader.token(authorization));
    if (header == null) {
      return Reason.MALFORMED;
    }
    if (header.expiresAt() != null && header.expiresAt() * 1000 < System.currentTimeMillis()) {
      return Reason.EXPIRED;
    }
    return Reason.REJECTED;
  }
}
