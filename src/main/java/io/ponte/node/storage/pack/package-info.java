/**
 * Packed objects: old series' instances moved from one blob each into one pack blob per series (a
 * self-describing format, {@link io.ponte.node.storage.pack.PackFormat}), by a crash-safe scheduled
 * job ({@link io.ponte.node.storage.pack.PackingJob}) and {@code ponte node pack}. Imports
 * node.storage, node.storage.blob and node.index; node.storage never imports it.
 */
package io.ponte.node.storage.pack;
