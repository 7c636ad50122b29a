/**
 * The node's publisher: the outbox of studies to publish and the sender of their ImagingStudy to
 * the hub (quiet period, back-off, idempotent conditional PUT). Asks node.index; never imports hub.
 */
package io.ponte.node.publish;
