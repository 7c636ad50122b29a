package io.ponte.hub.consent;

import io.ponte.hub.audit.AccessAudited;
import io.ponte.hub.audit.AuditAction;
import io.ponte.hub.audit.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Audits emergency (break-glass) grants and every access made under one with purpose of use {@value
 * #PURPOSE}, whatever purpose the request stated, so that the authority's review and the patient's
 * access log find them all. The records go through {@link AuditTrail} like any other (fail closed);
 * only the actor's purpose differs.
 */
@ApplicationScoped
public class EmergencyAudit {

  public static final String PURPOSE = "emergency";

  /** resourceType of grant records (create, end, list) and of accesses under a grant. */
  public static final String GRANT = "EmergencyAccess";

  public static final String USE = "EmergencyAccess use";

  @Inject AuditTrail audit;

  /** A record with purpose {@value #PURPOSE}, to run through {@link AuditTrail#around}. */
  public AccessAudited.Builder about(AuditAction action, String resourceType) {
    return audit.about(action, resourceType, PURPOSE);
  }

  /**
   * Records a use of a grant in the access's own transaction: it commits with the access or not at
   * all, and if it cannot be written the access is refused.
   */
  void used(AccessAudited.Builder use) {
    audit.around(use, record -> null);
  }
}
