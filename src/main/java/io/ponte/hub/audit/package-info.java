/**
 * The audit trail: AuditTrail runs every audited access, AccessAudited events, AuditRecorder (the
 * one writer of the hash-chained audit_record table), AuditChain. May import shared packages and
 * io.ponte.hub (HubDatabase); no other hub feature (they import it), never io.ponte.node.
 */
package io.ponte.hub.audit;
