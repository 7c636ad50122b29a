package io.ponte.hub.consent;

import java.time.Instant;

/** An emergency grant as the decision reads it: whose, and when it holds. */
public record ActiveGrant(String id, String username, Instant startsAt, Instant endsAt) {

  boolean holds(String user, Instant at) {
    return username.equals(user) && !at.isBefore(startsAt) && at.isBefore(endsAt);
  }
}
