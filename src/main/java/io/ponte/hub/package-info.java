/**
 * The hub role: registry, identity, consent, audit and the federated DICOMweb, one sub-package
 * each; here only HubDatabase, the hub persistence unit. May import shared packages (error, fhir,
 * security, role, text, ...); never io.ponte.node.
 */
package io.ponte.hub;
