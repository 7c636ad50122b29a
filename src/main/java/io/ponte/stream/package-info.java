/**
 * Stream adapters for hot paths (Vert.x read streams as blocking InputStreams, block-wise reads, a
 * streaming multipart/related reader shared by STOW-RS at the node and DIMSE retrieves at the hub).
 * Imports the JDK and Vert.x; nothing of Ponte.
 */
package io.ponte.stream;
