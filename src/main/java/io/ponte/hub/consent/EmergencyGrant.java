package io.ponte.hub.consent;

import java.time.Instant;

/** An emergency grant as the API shows it. */
public record EmergencyGrant(
    String id,
    String username,
    String organization,
    String patient,
    String regionalId,
    String patientId,
    String reason,
    Instant startsAt,
    Instant endsAt,
    Instant endedAt,
    String endedBy,
    boolean active) {

  static EmergencyGrant of(EmergencyGrantEntity e, Instant now) {
    return new EmergencyGrant(
        e.id,
        e.username,
        e.organization,
        e.patientReference,
        e.regionalId,
        e.patientId,
        e.reason,
        e.startsAt,
        e.endsAt,
        e.endedAt,
        e.endedBy,
        e.activeAt(now));
  }
}
