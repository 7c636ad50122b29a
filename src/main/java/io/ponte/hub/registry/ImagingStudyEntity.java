package io.ponte.hub.registry;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** A registered study: the FHIR JSON as served, and the columns it is searched by. */
@Entity
@Table(name = "imaging_study")
public class ImagingStudyEntity {

  @Id public String id;

  @Column(name = "study_instance_uid", nullable = false)
  public String studyInstanceUid;

  @Column(name = "site_id", nullable = false)
  public String siteId;

  @Column(name = "patient_id", nullable = false)
  public String patientId;

  public Instant started;

  @Column(name = "version_id", nullable = false)
  public int versionId;

  @Column(name = "last_updated", nullable = false)
  public Instant lastUpdated;

  @Column(name = "content_sha256", nullable = false)
  public String contentSha256;

  @Column(name = "resource_json", nullable = false)
  public String resourceJson;

  // What a study-level search answer shows, copied from resourceJson when it is written (V98).
  @Column(name = "accession_number")
  public String accessionNumber;

  public String description;

  @Column(name = "number_of_series")
  public Integer numberOfSeries;

  @Column(name = "number_of_instances")
  public Integer numberOfInstances;

  /** The modalities' codes sorted and joined by backslash, as QIDO-RS answers ModalitiesInStudy. */
  @Column(name = "modalities_in_study")
  public String modalitiesInStudy;

  @ElementCollection
  @CollectionTable(name = "imaging_study_modality", joinColumns = @JoinColumn(name = "study_id"))
  @Column(name = "code", nullable = false)
  public Set<String> modalities = new HashSet<>();
}
