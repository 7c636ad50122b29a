/**
 * The node's durable store: spool, SHA-256, fsync, cache layout, Blob upload, eviction, crash
 * recovery and verify. Writes the index through node.index; imports shared packages, never hub.
 */
package io.ponte.node.storage;
