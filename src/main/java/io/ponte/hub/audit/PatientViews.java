package io.ponte.hub.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a patient sees of the audit records about her, in one place for the AuditEvent search and
 * the portal's access log (which groups {@link AuditLogReader}'s records and shows their studies):
 * a record names every patient and study its request touched (a search names all it found, an
 * identity review both patients of a pair), and she sees only those that are hers: her Patient
 * records (every one linked to her regional id), her regional id, and the studies registered for
 * those Patients, the studies her own ImagingStudy search returns.
 */
@ApplicationScoped
public class PatientViews {

  @Inject PersonStudies studies;

  /**
   * The view of the patient under {@code regionalId} with hub Patients {@code patientIds}, signed
   * in as {@code subject}, for records that name {@code namedStudies} between them.
   */
  public PatientView of(
      String regionalId,
      Collection<String> patientIds,
      String subject,
      Collection<String> namedStudies) {
    Set<String> hers =
        patientIds.isEmpty() || namedStudies.isEmpty()
            ? Set.of()
            : studies.studiesOf(patientIds, new LinkedHashSet<>(namedStudies));
    return new PatientView(regionalId, Set.copyOf(patientIds), subject, hers);
  }

  /** The studies records name between them. */
  static Set<String> studiesNamed(List<AuditRecordEntity> rows) {
    Set<String> named = new LinkedHashSet<>();
    for (AuditRecordEntity r : rows) {
      named.addAll(AuditEventRenderer.list(r.studyUids));
    }
    return named;
  }
}
