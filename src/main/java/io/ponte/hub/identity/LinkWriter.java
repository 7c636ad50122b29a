package io.ponte.hub.identity;

import io.ponte.hub.HubDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The one place links are written: each link and unlink also appends to {@code
 * identity_link_history}, so that nothing about who was whom is ever lost, and bumps the linked
 * Patient's version (its Patient.link changed). Consent caches follow by themselves: the {@code
 * consent_epoch} trigger on identity_link (V20) fires in the same transaction.
 */
@ApplicationScoped
class LinkWriter {

  static final String SCORED = "scored";
  static final String MANUAL = "manual";

  @Inject HubDatabase db;

  /** Serialises changes to one person's links until commit. */
  @Transactional(Transactional.TxType.MANDATORY)
  void lockPerson(String regionalId) {
    db.em()
        .createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
        .setParameter(1, "regional:" + regionalId)
        .getSingleResult();
  }

  @Transactional(Transactional.TxType.MANDATORY)
  RegionalPersonEntity ensurePerson(String regionalId, Instant now) {
    RegionalPersonEntity person = db.em().find(RegionalPersonEntity.class, regionalId);
    if (person == null) {
      person = new RegionalPersonEntity();
      person.regionalId = regionalId;
      person.createdAt = now;
      person.updatedAt = now;
      db.em().persist(person);
    }
    person.updatedAt = now;
    return person;
  }

  /** A regional id for a person the matcher or a reviewer creates: REG-M1, REG-M2, ... */
  @Transactional(Transactional.TxType.MANDATORY)
  String newRegionalId() {
    while (true) {
      Number n =
          (Number)
              db.em()
                  .createNativeQuery("select nextval('regional_person_auto_seq')")
                  .getSingleResult();
      String id = "REG-M" + n.longValue();
      if (db.em().find(RegionalPersonEntity.class, id) == null) {
        return id;
      }
    }
  }

  @Transactional(Transactional.TxType.MANDATORY)
  IdentityLinkEntity link(
      PatientEntity patient,
      String regionalId,
      String method,
      Double score,
      String by,
      String reason,
      Instant now) {
    ensurePerson(regionalId, now);
    IdentityLinkEntity link = new IdentityLinkEntity();
    link.patientId = patient.id;
    link.regionalId = regionalId;
    link.method = method;
    link.score = decimal(score);
    link.linkedAt = now;
    link.linkedBy = by;
    db.em().persist(link);
    history(patient.id, regionalId, "link", method, score, by, reason, now);
    touch(patient, now);
    return link;
  }

  @Transactional(Transactional.TxType.MANDATORY)
  void unlink(IdentityLinkEntity link, String by, String reason, Instant now) {
    PatientEntity patient = db.em().find(PatientEntity.class, link.patientId);
    history(
        link.patientId,
        link.regionalId,
        "unlink",
        link.method,
        link.score == null ? null : link.score.doubleValue(),
        by,
        reason,
        now);
    db.em().remove(link);
    touch(patient, now);
    db.em().flush();
  }

  private void history(
      String patientId,
      String regionalId,
      String action,
      String method,
      Double score,
      String by,
      String reason,
      Instant now) {
    LinkHistoryEntity h = new LinkHistoryEntity();
    h.patientId = patientId;
    h.regionalId = regionalId;
    h.action = action;
    h.method = method;
    h.score = decimal(score);
    h.at = now;
    h.byUser = by;
    h.reason = reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000);
    db.em().persist(h);
  }

  static BigDecimal decimal(Double score) {
    return score == null ? null : BigDecimal.valueOf(score).setScale(4, RoundingMode.HALF_UP);
  }

  /** Patient.link changes with the links, so the Patient gets a new version. */
  static void touch(PatientEntity patient, Instant now) {
    patient.versionId++;
    patient.lastUpdated = now;
  }
}
