/**
 * The hub's FHIR API plumbing: strict JSON parsing, the resource writer, OperationOutcome mapping
 * for /fhir, search plumbing shared by the registry and consent (SearchParams, DateParam,
 * SearchBundles), and the validator of what nodes publish (with its readiness check). May import
 * shared packages (fhir, error, role, text) and hub.audit (the purpose-of-use parameter a search
 * ignores); no other hub package, never io.ponte.node.
 */
package io.ponte.hub.fhir;
