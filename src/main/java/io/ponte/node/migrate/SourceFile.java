package io.ponte.node.migrate;

import java.nio.file.Path;

/**
 * One file of the source tree: its path relative to the source ('/'-separated, the checkpoint's
 * key), where it is, and the size and mtime that tell whether it changed since it was done.
 */
record SourceFile(String path, Path file, long size, long mtimeMs) {}
