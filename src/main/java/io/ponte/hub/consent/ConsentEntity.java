package io.ponte.hub.consent;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One recorded Consent (V20__consent.sql): the FHIR JSON as served and what the decision reads. */
@Entity
@Table(name = "consent")
public class ConsentEntity {

  public static final String ACTIVE = "active";
  public static final String INACTIVE = "inactive";

  @Id public String id;

  @Column(name = "regional_id")
  public String regionalId;

  @Column(name = "patient_id")
  public String patientId;

  @Column(nullable = false)
  public String status;

  @Column(name = "consented_at", nullable = false)
  public Instant consentedAt;

  @Column(nullable = false)
  public String rules;

  @Column(nullable = false)
  public String source;

  @Column(name = "recorded_by", nullable = false)
  public String recordedBy;

  @Column(name = "recorded_at", nullable = false)
  public Instant recordedAt;

  @Column(name = "version_id", nullable = false)
  public int versionId;

  @Column(name = "last_updated", nullable = false)
  public Instant lastUpdated;

  @Column(name = "resource_json", nullable = false)
  public String resourceJson;
}
