package io.ponte.hub.dicomweb;

/**
 * A node's successful answer as the entity of the hub's response: written by {@link
 * NodeBodyWriter}, byte for byte. Public because a page may read it in-process instead (the
 * clinician timeline's thumbnails).
 */
public record NodeBody(NodeResponse node) {}
