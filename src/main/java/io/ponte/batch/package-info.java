/**
 * Group commit for writers that must not make their callers pay one transaction each: a bounded
 * queue drained by one thread that hands over whatever has queued up as one batch (the hub's audit
 * chain and the node's audit log). Imports the JDK only.
 */
package io.ponte.batch;
