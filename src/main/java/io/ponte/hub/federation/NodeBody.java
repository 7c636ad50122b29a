package io.ponte.hub.federation;

/**
 * A node's successful body as a JAX-RS entity: written by {@link NodeBodyWriter}, which pipes it into the
 * hub's response on the event loop instead of copying it through a worker thread.
 */
public record NodeBody(NodeResponse node) {
}
