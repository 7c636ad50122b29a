/**
 * Verified TLS between Ponte's own processes (hub to node, node to hub): a named configuration of
 * Quarkus's TLS registry that must carry a trust store and must not trust all, and the test that
 * tells a refused certificate from a peer that is down. Imports nothing of Ponte's.
 */
package io.ponte.tls;
