/**
 * What the node served and received, for the hub's audit (issue 10): one record per DIMSE
 * association and study, per STOW-RS request and study, per WADO-RS/QIDO-RS request of the hub
 * (NodeAuditLog, written in batches by one thread), and their outbox to the hub (NodeAuditSender,
 * the publisher's token, client and backoff). Imports node.publish and shared packages; node.ingest
 * and node.dicomweb import it; never hub.
 */
package io.ponte.node.audit;
