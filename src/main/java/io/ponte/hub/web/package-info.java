/**
 * The hub's one web stack: layout, sign-in tenant, page access by role, languages, security
 * headers. Imports shared packages only; never a surface package (portal, clinician, authority) nor
 * node.
 */
package io.ponte.hub.web;
