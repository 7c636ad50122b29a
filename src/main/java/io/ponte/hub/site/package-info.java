/**
 * The federated sites as configured (HubSites, ponte.hub.sites): ids, names, patient identifier
 * systems. May import shared packages (fhir); no other hub package, never io.ponte.node.
 */
package io.ponte.hub.site;
