/**
 * Stream adapters for hot paths (Vert.x read streams as blocking InputStreams, block-wise reads).
 * Imports the JDK and Vert.x; nothing of Ponte.
 */
package io.ponte.stream;
