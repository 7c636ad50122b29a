package io.ponte.hub.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A pair of local patients the matcher scored: {@code open} on the review list, {@code accepted}
 * (linked, by the matcher or a reviewer) or {@code rejected} (not the same person: never proposed
 * or linked automatically again). {@code patientA < patientB}, one row per pair.
 */
@Entity
@Table(name = "identity_match_candidate")
public class MatchCandidateEntity {

  public static final String OPEN = "open";
  public static final String ACCEPTED = "accepted";
  public static final String REJECTED = "rejected";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "patient_a", nullable = false)
  public String patientA;

  @Column(name = "patient_b", nullable = false)
  public String patientB;

  @Column(nullable = false, precision = 5, scale = 4)
  public BigDecimal score;

  @Column(nullable = false)
  public String status;

  public String reasons;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "reviewed_by")
  public String reviewedBy;

  /** The reviewer's name from their token (V99); null before, and for the matcher. */
  @Column(name = "reviewed_by_name")
  public String reviewedByName;

  @Column(name = "reviewed_at")
  public Instant reviewedAt;

  @Column(name = "reviewed_note")
  public String reviewedNote;

  public String other(String patientId) {
    return patientA.equals(patientId) ? patientB : patientA;
  }
}
