package io.ponte.hub.identity;

import io.ponte.hub.HubDatabase;
import io.ponte.text.NameFolding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A patient's other names (patient_name_variant): the ideographic and phonetic component groups of
 * its DICOM name, each as published (for the answers) and folded as patient.name_search is ({@link
 * NameFolding#key}), so that a QIDO-RS PatientName finds the patient by any group. Not used to
 * match identities.
 */
@ApplicationScoped
class PatientNameVariants {

  @Inject HubDatabase db;

  /**
   * Makes the patient's other names {@code names}; a publication that describes the patient no
   * longer by a group removes that group. Nothing is written when they are already so.
   *
   * @return whether they changed
   */
  @Transactional(Transactional.TxType.MANDATORY)
  boolean replace(String patientId, List<Demographics.Name> names) {
    Set<Demographics.Name> wanted = new LinkedHashSet<>(names);
    if (Set.copyOf(held(List.of(patientId)).getOrDefault(patientId, List.of())).equals(wanted)
        && !hasRowsWithoutDisplay(patientId)) {
      return false;
    }
    db.em()
        .createNativeQuery("delete from patient_name_variant where patient_id = ?1")
        .setParameter(1, patientId)
        .executeUpdate();
    for (Demographics.Name name : wanted) {
      db.em()
          .createNativeQuery(
              "insert into patient_name_variant"
                  + " (patient_id, representation, name_search, family_name, given_names)"
                  + " values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
          .setParameter(1, patientId)
          .setParameter(2, name.representation())
          .setParameter(3, NameFolding.key(name.family(), name.given()))
          .setParameter(4, name.family())
          .setParameter(5, name.given())
          .executeUpdate();
    }
    return true;
  }

  /**
   * The other names of each of {@code patientIds} that has any, by representation (ABC, IDE, SYL);
   * rows written before they were kept as published (V104) have none to give.
   */
  @Transactional
  Map<String, List<Demographics.Name>> held(Collection<String> patientIds) {
    Map<String, List<Demographics.Name>> byPatient = new LinkedHashMap<>();
    if (patientIds.isEmpty()) {
      return byPatient;
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        db.em()
            .createNativeQuery(
                "select patient_id, representation, family_name, given_names"
                    + " from patient_name_variant where patient_id = any(cast(?1 as varchar[]))"
                    + " and representation <> '' order by patient_id, representation, name_search")
            .setParameter(1, patientIds.toArray(new String[0]))
            .getResultList();
    for (Object[] row : rows) {
      byPatient
          .computeIfAbsent((String) row[0], id -> new ArrayList<>())
          .add(new Demographics.Name((String) row[1], (String) row[2], (String) row[3]));
    }
    return byPatient;
  }

  private boolean hasRowsWithoutDisplay(String patientId) {
    return !db.em()
        .createNativeQuery(
            "select 1 from patient_name_variant where patient_id = ?1 and representation = ''")
        .setParameter(1, patientId)
        .getResultList()
        .isEmpty();
  }
}
