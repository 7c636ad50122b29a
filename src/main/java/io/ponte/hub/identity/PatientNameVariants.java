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
   * longer by a group removes that group. Nothing is written when they are already so: most
   * publications carry none, and cost one statement here.
   *
   * @return whether they changed
   */
  @Transactional(Transactional.TxType.MANDATORY)
  boolean replace(String patientId, List<Demographics.Name> names) {
    if (names.isEmpty()) {
      return delete(patientId) > 0;
    }
    Set<Demographics.Name> wanted = new LinkedHashSet<>(names);
    if (Set.copyOf(held(List.of(patientId)).getOrDefault(patientId, List.of())).equals(wanted)) {
      return false;
    }
    delete(patientId);
    add(patientId, wanted);
    return true;
  }

  /** Adds {@code names} to a patient that has none (one just created). */
  @Transactional(Transactional.TxType.MANDATORY)
  void add(String patientId, Collection<Demographics.Name> names) {
    if (names.isEmpty()) {
      return;
    }
    // One statement, so that V105's trigger recomputes the patient's words once.
    db.em()
        .createNativeQuery(
            "insert into patient_name_variant"
                + " (patient_id, representation, name_search, family_name, given_names)"
                + " select ?1, r, k, f, g from unnest(cast(?2 as varchar[]), cast(?3 as varchar[]),"
                + " cast(?4 as varchar[]), cast(?5 as varchar[])) as t (r, k, f, g)"
                + " on conflict do nothing")
        .setParameter(1, patientId)
        .setParameter(
            2, names.stream().map(Demographics.Name::representation).toArray(String[]::new))
        .setParameter(
            3,
            names.stream().map(n -> NameFolding.key(n.family(), n.given())).toArray(String[]::new))
        .setParameter(4, names.stream().map(Demographics.Name::family).toArray(String[]::new))
        .setParameter(5, names.stream().map(Demographics.Name::given).toArray(String[]::new))
        .executeUpdate();
  }

  private int delete(String patientId) {
    return db.em()
        .createNativeQuery("delete from patient_name_variant where patient_id = ?1")
        .setParameter(1, patientId)
        .executeUpdate();
  }

  /**
   * The other names of each of {@code patientIds} that has any, by representation (ABC, IDE, SYL).
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
                    + " order by patient_id, representation, name_search")
            .setParameter(1, patientIds.toArray(new String[0]))
            .getResultList();
    for (Object[] row : rows) {
      byPatient
          .computeIfAbsent((String) row[0], id -> new ArrayList<>())
          .add(new Demographics.Name((String) row[1], (String) row[2], (String) row[3]));
    }
    return byPatient;
  }
}
