/**
 * The optional replica: a second copy of every blob in another Blob account ({@code
 * ponte.node.storage.replica.*}), written by its own durable queue (db/node V80; a pack as that
 * pack, db/node V130) and counted only once proven; its backlog and failures are metrics and a
 * health detail that never makes the node unready. Reads fail over to it, fixity repairs from and
 * to it, deletion removes it, and a lost index and primary are rebuilt from it.
 */
package io.ponte.node.storage.replica;
