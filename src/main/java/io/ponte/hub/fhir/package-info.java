/**
 * The hub's FHIR API plumbing: strict JSON parsing, the resource writer, OperationOutcome mapping
 * for /fhir, and the validator of what nodes publish (with its readiness check). May import shared
 * packages (fhir, error, role); no other hub package, never io.ponte.node.
 */
package io.ponte.hub.fhir;
