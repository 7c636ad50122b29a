/**
 * The hub's patient index: one Patient per local identifier, the regional links (identity_link,
 * regional_person) that make several of them one person, and how links are made: stated (a regional
 * id in the published Patient, or an admin), by the scored matcher on publication, or by the
 * authority's review; every link and unlink is audited and kept in identity_link_history. May
 * import hub.site, hub.audit, io.ponte.hub and shared packages; never hub.registry or hub.consent
 * (they ask identity) nor io.ponte.node.
 */
package io.ponte.hub.identity;
