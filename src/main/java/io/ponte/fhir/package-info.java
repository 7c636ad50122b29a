/**
 * FHIR pieces both roles use: one FhirContext, the R4 validator and its core subset, identifier
 * systems, the published resource types, media types. Imports only shared packages, never a role.
 */
package io.ponte.fhir;
