/**
 * DIMSE query/retrieve at the hub, for a clinic's existing workstation or PACS: C-ECHO, C-FIND
 * (Patient and Study Root, every level) over the federated registry, C-GET and C-MOVE of studies
 * held at any site, fetched from the owning node and sent on as C-STORE sub-operations. The calling
 * AE title, mapped in configuration to an organisation, is the identity: each operation runs
 * through the hub's QIDO-RS and WADO-RS services as a clinician of that organisation, so consent
 * and audit decide exactly as for DICOMweb. Protocol pieces live in {@link io.ponte.dicom.net}.
 */
package io.ponte.hub.dimse;
