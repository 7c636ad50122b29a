package io.ponte.hub.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;

/** One local patient identifier (system + value) known to the hub; rendered as a FHIR Patient. */
@Entity
@Table(name = "patient")
public class PatientEntity {

  @Id public String id;

  @Column(name = "site_id", nullable = false)
  public String siteId;

  @Column(name = "identifier_system", nullable = false)
  public String identifierSystem;

  @Column(name = "identifier_value", nullable = false)
  public String identifierValue;

  @Column(name = "family_name")
  public String familyName;

  @Column(name = "given_names")
  public String givenNames;

  @Column(name = "birth_date")
  public LocalDate birthDate;

  public String gender;

  /** Family^given folded for search ({@link io.ponte.text.NameFolding#key}). */
  @Column(name = "name_search", nullable = false)
  public String nameSearch;

  @Column(name = "version_id", nullable = false)
  public int versionId;

  @Column(name = "last_updated", nullable = false)
  public Instant lastUpdated;

  public LocalIdentifier identifier() {
    return new LocalIdentifier(identifierSystem, identifierValue);
  }
}
