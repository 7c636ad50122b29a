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
    REJECTED
  }

  public static Delivery of(int status, String body, Optional<Duration> retryAfter) {
    Kind kind;
    if (status == 200 || status == 201) {
      kind = Kind.DELIVERED;
    } else if (status == 401) {
      kind = Kind.UNAUTHORIZED;
    } else if (status == 429) {
      kind = Kind.THROTTLED;
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

  public static Delivery unreachable(String detail) {
    return new Delivery(Kind.UNAVAILABLE, null, detail, Optional.empty());
  }

  public boolean delivered() {
    return kind == Kind.DELIVERED;
  }
}
