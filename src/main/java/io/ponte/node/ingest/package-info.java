/**
 * DIMSE ingest at the node (C-ECHO, C-STORE SCP) and the one store-refusal table shared with
 * STOW-RS. Stores through node.storage; imports shared packages (dicom.net), never hub.
 */
package io.ponte.node.ingest;
