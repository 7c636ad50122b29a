package io.ponte.hub.consent;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A clinician's emergency (break-glass) access to one person's studies (V20__consent.sql). */
@Entity
@Table(name = "emergency_grant")
public class EmergencyGrantEntity {

  @Id public String id;

  @Column(nullable = false)
  public String username;

  /** The clinician's name from their token when they opened it (V99); null before. */
  @Column(name = "clinician_name")
  public String clinicianName;

  public String subject;
  public String organization;

  @Column(name = "regional_id")
  public String regionalId;

  @Column(name = "patient_id")
  public String patientId;

  @Column(name = "patient_reference", nullable = false)
  public String patientReference;

  @Column(nullable = false)
  public String reason;

  @Column(name = "starts_at", nullable = false)
  public Instant startsAt;

  @Column(name = "ends_at", nullable = false)
  public Instant endsAt;

  @Column(name = "ended_at")
  public Instant endedAt;

  @Column(name = "ended_by")
  public String endedBy;

  boolean activeAt(Instant at) {
    return endedAt == null && !at.isBefore(startsAt) && at.isBefore(endsAt);
  }
}
