/**
 * The audit trail: AuditTrail runs every audited access, AccessAudited events, AuditRecorder (their
 * one observer), AuditWriter (group commit of the hash-chained audit_record table, the only
 * writer), AuditChain and ChainVerifier (the chain and its walk, also behind {@code ponte audit
 * verify}). May import shared packages and io.ponte.hub (HubDatabase); no other hub feature (they
 * import it), never io.ponte.node.
 */
package io.ponte.hub.audit;
