package io.ponte.hub.identity;

import io.ponte.hub.HubDatabase;
import io.ponte.text.NameFolding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The search keys of a patient's other names (patient_name_variant): the ideographic and phonetic
 * component groups of its DICOM name, folded as patient.name_search is ({@link NameFolding#key}),
 * so that a QIDO-RS PatientName finds the patient by any group. Not used to match identities.
 */
@ApplicationScoped
class PatientNameVariants {

  @Inject HubDatabase db;

  /**
   * Makes the patient's keys those of {@code names}; a publication that describes the patient no
   * longer by a group removes that group's key. Nothing is written when they are already so.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  void replace(String patientId, List<Demographics.Name> names) {
    Set<String> wanted = new LinkedHashSet<>();
    for (Demographics.Name name : names) {
      wanted.add(NameFolding.key(name.family(), name.given()));
    }
    @SuppressWarnings("unchecked")
    List<String> held =
        db.em()
            .createNativeQuery(
                "select name_search from patient_name_variant where patient_id = ?1", String.class)
            .setParameter(1, patientId)
            .getResultList();
    if (Set.copyOf(held).equals(wanted)) {
      return;
    }
    db.em()
        .createNativeQuery("delete from patient_name_variant where patient_id = ?1")
        .setParameter(1, patientId)
        .executeUpdate();
    for (String key : wanted) {
      db.em()
          .createNativeQuery(
              "insert into patient_name_variant (patient_id, name_search) values (?1, ?2)"
                  + " on conflict do nothing")
          .setParameter(1, patientId)
          .setParameter(2, key)
          .executeUpdate();
    }
  }
}
