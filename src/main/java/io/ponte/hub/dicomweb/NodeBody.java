package io.ponte.hub.dicomweb;

/**
 * A node's successful answer as the entity of the hub's response: written by {@link
 * NodeBodyWriter}, byte for byte.
 */
record NodeBody(NodeResponse node) {}
