/**
 * Retention and legal hold (issue 12): each study's retention end from the site's policy, decided
 * at ingest; legal holds set and released by an administrator; and the explicit, audited deletion
 * of studies whose retention ended, which also withdraws them from the hub's registry.
 */
package io.ponte.node.retention;
