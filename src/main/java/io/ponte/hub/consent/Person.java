package io.ponte.hub.consent;

import java.util.Set;

/**
 * One person as consent sees them: the regional id (null when the local patient is linked to none)
 * and every hub Patient id that is them. A consent or grant naming any of these applies.
 */
public record Person(String regionalId, Set<String> patientIds) {

  public Person {
    patientIds = Set.copyOf(patientIds);
  }

  /** A local patient linked to no one. */
  public static Person unlinked(String patientId) {
    return new Person(null, Set.of(patientId));
  }

  /** The cache key: the regional id, or the lone patient's id. */
  String key() {
    return regionalId != null ? "r:" + regionalId : "p:" + patientIds.iterator().next();
  }
}
