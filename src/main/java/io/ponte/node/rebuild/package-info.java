/**
 * {@code ponte node rebuild-index}: a node whose database is lost indexes its site's Blob container
 * again, object by object (header parsed, SHA-256 computed), and queues its studies for publication
 * to the hub.
 */
package io.ponte.node.rebuild;
