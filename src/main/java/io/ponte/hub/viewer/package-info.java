/**
 * The OHIF v3 viewer served by the hub at {@code /viewer}: its installed static files and the
 * configuration the hub writes for it (the hub's DICOMweb by a relay that carries the page
 * session's token). Imports only shared packages and Quarkus.
 */
package io.ponte.hub.viewer;
