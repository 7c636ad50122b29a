package io.ponte.hub.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;

/** A local patient's membership of a regional person; a patient has at most one. */
@Entity
@Table(name = "identity_link")
public class IdentityLinkEntity {

  public static final String DETERMINISTIC = "deterministic";

  @Id
  @Column(name = "patient_id")
  public String patientId;

  @Column(name = "regional_id", nullable = false)
  public String regionalId;

  @Column(nullable = false)
  public String method;

  @Column(precision = 5, scale = 4)
  public BigDecimal score;

  @Column(name = "linked_at", nullable = false)
  public Instant linkedAt;

  @Column(name = "linked_by", nullable = false)
  public String linkedBy;
}
