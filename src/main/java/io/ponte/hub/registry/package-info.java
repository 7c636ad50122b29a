/**
 * The registry: published ImagingStudies and their FHIR API (ImagingStudy, Patient, Organization,
 * Endpoint, metadata); owns imaging_study and imaging_study_modality (its study search joins
 * identity's patient and identity_link in the same statement, for speed); RegisteredStudies is the
 * typed reader other hub packages ask. May import hub.identity, hub.consent (its read paths enforce
 * consent; it implements HeldStudies), hub.site, hub.audit, hub.fhir, io.ponte.hub and shared
 * packages; never hub.dicomweb nor io.ponte.node.
 */
package io.ponte.hub.registry;
