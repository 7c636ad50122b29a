/**
 * Patients' consent to sharing and emergency (break-glass) access: the Consent store and FHIR API,
 * the region's policy, the one consent decision (ConsentLogic, cached in ConsentDecisions) and
 * ConsentEnforcement, which the registry's and DICOMweb's read paths call. Owns consent,
 * consent_epoch and emergency_grant (its person lookup joins identity's identity_link in the same
 * statement, for speed); asks the registry through HeldStudies, which the registry implements. May
 * import hub.identity, hub.site, hub.audit, hub.fhir, io.ponte.hub and shared packages; never
 * hub.registry, hub.dicomweb nor io.ponte.node.
 */
package io.ponte.hub.consent;
