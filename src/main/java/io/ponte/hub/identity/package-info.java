/**
 * The hub's patient index: one Patient per local identifier, and the regional links (identity_link,
 * regional_person) that make several of them one person. May import hub.site, hub.audit,
 * io.ponte.hub and shared packages; never hub.registry (it asks identity) nor io.ponte.node.
 */
package io.ponte.hub.identity;
