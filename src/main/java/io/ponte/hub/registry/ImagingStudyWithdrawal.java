package io.ponte.hub.registry;

import io.ponte.error.ErrorCode;
import io.ponte.error.ProblemException;
import io.ponte.hub.HubDatabase;
import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import io.ponte.hub.site.HubSites;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * A node withdraws a study it no longer holds (deleted after its retention ended): the study leaves
 * the registry, so FHIR, QIDO-RS, DIMSE and the pages no longer list it. Authorised as a
 * publication is (role node, scope system/ImagingStudy.cu, a federated site), and a node withdraws
 * only its own site's studies. Idempotent: a study the registry no longer has is withdrawn already.
 * Audited as a delete, with the patient the study belonged to.
 */
@ApplicationScoped
public class ImagingStudyWithdrawal {

  @Inject RegistryAccess access;

  @Inject ImagingStudyRepository studies;

  @Inject AuditTrail audit;

  @Inject HubDatabase db;

  /** True when the study was removed now, false when the registry no longer had it. */
  @Transactional
  public boolean withdraw(String studyUid) {
    return audit.around(
        audit.about(AuditAction.DELETE, "ImagingStudy").studyUid(studyUid),
        record -> withdraw(studyUid, record));
  }

  private boolean withdraw(String studyUid, AccessAudited.Builder record) {
    HubSites.Site site = access.requirePublisher();
    // The same lock a publish of this UID takes: a publish racing the withdrawal is ordered.
    db.em()
        .createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
        .setParameter(1, "study:" + studyUid)
        .getSingleResult();
    ImagingStudyEntity existing = studies.findByUid(studyUid).orElse(null);
    if (existing == null) {
      record.detail("not in the registry; nothing to withdraw");
      return false;
    }
    record.patientId(existing.patientId);
    if (!existing.siteId.equals(site.id())) {
      throw new ProblemException(
          ErrorCode.WRONG_SITE,
          "study " + studyUid + " is registered by another site; a node withdraws only its own");
    }
    studies.delete(existing);
    db.em().flush();
    record.detail("withdrawn by site " + site.id() + " (deleted at the node)");
    return true;
  }
}
