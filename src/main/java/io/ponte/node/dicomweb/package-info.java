/**
 * The node's DICOMweb for the hub's service account only: QIDO-RS, WADO-RS (instances, metadata,
 * frames). Asks node.index for rows and node.storage for bytes; imports shared packages, never hub.
 */
package io.ponte.node.dicomweb;
