/** The node's metrics port: Prometheus text for a cluster's scraper, apart from the HTTP port. */
package io.ponte.node.metrics;
