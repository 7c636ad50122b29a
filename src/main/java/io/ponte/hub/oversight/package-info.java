/**
 * The regional health authority's oversight of sharing: figures over the registry, the audit trail
 * and consent (counts only, never images), the review of emergency accesses, and the same figures
 * as Prometheus metrics. The dashboard pages are in {@code hub/web/authority}.
 */
package io.ponte.hub.oversight;
