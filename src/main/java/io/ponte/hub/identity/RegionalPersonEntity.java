package io.ponte.hub.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A person across sites, under a regional id (e.g. REG-000001, a patient's token {@code
 * patient_id}).
 */
@Entity
@Table(name = "regional_person")
public class RegionalPersonEntity {

  @Id
  @Column(name = "regional_id")
  public String regionalId;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
