/**
 * Fixity: a scheduled job that re-reads a sample of the node's instances, least recently verified
 * first, from the cache and from Blob, compares each copy's SHA-256 with the index, and repairs a
 * bad copy from the intact one. Findings are metrics, log lines and a health detail.
 */
package io.ponte.node.fixity;
