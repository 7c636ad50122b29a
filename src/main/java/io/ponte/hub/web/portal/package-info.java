/**
 * The patient portal: studies across hospitals, sharing choices, access log. Imports hub.web and
 * the services it shows (registry, identity, consent, audit, site) and shared packages; never node.
 */
package io.ponte.hub.web.portal;
