package io.ponte.node.publish;

import java.time.Duration;
import java.util.Optional;

/**
 * What one PUT to the hub came to, and what the sender does about it. {@code status} is null when
 * no HTTP answer came (connection refused, timeout).
 */
public record Delivery(Kind kind, Integer status, String detail, Optional<Duration> retryAfter) {

  public enum Kind {
    /** 200/201: the hub holds this content (created, updated, or unchanged). */
    DELIVERED,
    /** No answer, 408, 5xx or an unexpected status: the hub is down or busy; back off and retry. */
    UNAVAILABLE,
    /**
     * No answer the node may trust: the hub's TLS certificate was not accepted (not issued by the
     * trusted CA, not naming the hub URL's host) or the handshake failed. Not "the hub is down":
     * certificates or settings to fix, or someone else answering at the hub's address. Nothing was
     * sent; retried with the ordinary backoff, so that a fixed certificate heals it.
     */
    TLS_REFUSED,
    /**
     * 401: the token was refused (expired, rotated keys); fetch a new one and retry with backoff.
     */
    UNAUTHORIZED,
    /** 429: the hub asks us to slow down; retry no sooner than it says. */
    THROTTLED,
    /**
     * Another 4xx: the hub refuses this content or this node (invalid resource, wrong site, missing
     * scope). Re-sending the same bytes soon will not help, but dropping them would silently lose
     * the study from the registry; kept and retried at the maximum backoff (see {@link
     * OutboxSender}).
     */
    REJECTED,
    /**
     * A refusal the hub says is final (409 with a code in {@link #FINAL_REFUSALS}): the study UID
     * is registered by another site. Retrying cannot help, so the row is marked refused and no
     * longer sent (its reason in the outbox, the metrics and the health check).
     */
    REFUSED
  }

  /** The hub's codes that refuse a study for good; a small fixed set, so they can tag a metric. */
  static final java.util.List<String> FINAL_REFUSALS =
      java.util.List.of(io.ponte.error.ErrorCode.STUDY_OWNED_BY_ANOTHER_SITE.code());

  public static Delivery of(int status, String body, Optional<Duration> retryAfter) {
    Kind kind;
    if (status == 200 || status == 201) {
      kind = Kind.DELIVERED;
    } else if (status == 401) {
      kind = Kind.UNAUTHORIZED;
    } else if (status == 429) {
      kind = Kind.THROTTLED;
    } else if (status == 409 && finalRefusal(body) != null) {
      kind = Kind.REFUSED;
    } else if (status >= 400 && status < 500 && status != 408) {
      kind = Kind.REJECTED;
    } else {
      kind = Kind.UNAVAILABLE;
    }
    return new Delivery(
        kind,
        status,
        "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body),
        retryAfter);
  }

  /** The final-refusal code an answer's body (OperationOutcome, problem+json) carries, or null. */
  static String finalRefusal(String body) {
    if (body == null) {
      return null;
    }
    for (String code : FINAL_REFUSALS) {
      if (body.contains("\"" + code + "\"")) {
        return code;
      }
    }
    return null;
  }

  /** The final-refusal code of this answer, or null. */
  public String refusalReason() {
    return kind == Kind.REFUSED ? finalRefusal(detail) : null;
  }

  public static Delivery unreachable(String detail) {
    return new Delivery(Kind.UNAVAILABLE, null, detail, Optional.empty());
  }

  /** The hub's certificate was not accepted: see {@link Kind#TLS_REFUSED}. */
  public static Delivery tlsRefused(String detail) {
    return new Delivery(
        Kind.TLS_REFUSED,
        null,
        "TLS: the hub's certificate was not accepted: " + detail,
        Optional.empty());
  }

  public boolean delivered() {
    return kind == Kind.DELIVERED;
  }
}
