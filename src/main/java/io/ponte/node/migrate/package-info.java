/**
 * {@code ponte migrate}: moves a legacy archive (a directory tree of DICOM files, a running PACS
 * over DIMSE, or a DICOMweb archive) into the node through the node's own store, so migrated
 * instances are indexed, uploaded, verified and published exactly like ingested ones; a checkpoint
 * table makes runs resumable and incremental. Imports node.storage, node.index, node.ingest's DIMSE
 * settings and the DICOM network layer, never hub.
 */
package io.ponte.node.migrate;
