/**
 * The hub's DICOMweb: QIDO-RS answered from the registry, WADO-RS proxied to the owning site's node
 * with the hub's own token. May import hub.registry (through its typed reader, never its tables),
 * hub.consent (to enforce consent), hub.audit and shared packages; never io.ponte.node.
 */
package io.ponte.hub.dicomweb;
