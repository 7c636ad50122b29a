package io.ponte.node.storage;

import io.ponte.dicom.UID;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Where instances live on the local disk: {@code <cache>/<study>/<series>/<sop>.dcm}, and where
 * they are spooled before they are indexed: {@code <cache>/.incoming/<random>.part}. Both are in
 * one file system, so the final rename is atomic. UIDs are validated before they become path
 * segments (no dots-only segments, no separators: a UID is digits and dots only).
 */
public final class CacheLayout {

  static final String INCOMING = ".incoming";
  static final String TEMP_SUFFIX = ".part";

  private final Path root;

  public CacheLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path incoming() {
    return root.resolve(INCOMING);
  }

  /** A fresh, not yet existing temp file name in the incoming directory (created by the caller). */
  public Path newTempFile() throws IOException {
    Files.createDirectories(incoming());
    return incoming().resolve(UUID.randomUUID() + TEMP_SUFFIX);
  }

  /** The cache path relative to the root, as stored in the index ({@code cache_path}). */
  public static String relativePath(String study, String series, String sop) {
    return UID.requireValid(study)
        + "/"
        + UID.requireValid(series)
        + "/"
        + UID.requireValid(sop)
        + ".dcm";
  }

  /** The blob name of an instance; the same shape as the cache path. */
  public static String blobName(String study, String series, String sop) {
    return relativePath(study, series, sop);
  }

  /**
   * Resolves a relative cache path from the index, refusing anything that would leave the cache
   * root.
   */
  public Path resolve(String relativePath) {
    Path resolved = root.resolve(relativePath).normalize();
    if (!resolved.startsWith(root) || resolved.startsWith(incoming())) {
      throw new IllegalArgumentException("cache path outside the cache: " + relativePath);
    }
    return resolved;
  }

  /** fsync a directory, so that a rename or a new entry in it survives a crash. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
