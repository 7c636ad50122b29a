/**
 * STOW-RS ingest at the node: streaming multipart reader, per-instance outcomes, the PS3.18
 * response. Stores through node.storage; imports node.ingest and shared packages, never hub.
 */
package io.ponte.node.ingest.stow;
