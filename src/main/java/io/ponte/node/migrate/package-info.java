/**
 * {@code ponte migrate}: moves a legacy archive (a directory tree of DICOM files) into the node
 * through the node's own store, so migrated instances are indexed, uploaded, verified and published
 * exactly like ingested ones; a checkpoint table makes runs resumable and incremental. Imports
 * node.storage and node.index, never hub.
 */
package io.ponte.node.migrate;
