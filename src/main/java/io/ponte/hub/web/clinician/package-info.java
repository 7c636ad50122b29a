/**
 * The clinician workspace at {@code /}: patient search, the priors timeline, thumbnails. Imports
 * hub.web, the services it shows (registry, identity, dicomweb, audit, site) and shared packages.
 */
package io.ponte.hub.web.clinician;
