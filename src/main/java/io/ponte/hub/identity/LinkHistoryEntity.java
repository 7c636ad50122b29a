package io.ponte.hub.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;

/** One link or unlink of a local patient to a regional person (append-only, V60). */
@Entity
@Table(name = "identity_link_history")
public class LinkHistoryEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "patient_id", nullable = false)
  public String patientId;

  @Column(name = "regional_id", nullable = false)
  public String regionalId;

  @Column(nullable = false)
  public String action;

  @Column(nullable = false)
  public String method;

  @Column(precision = 5, scale = 4)
  public BigDecimal score;

  @Column(nullable = false)
  public Instant at;

  @Column(name = "by_user", nullable = false)
  public String byUser;

  public String reason;
}
