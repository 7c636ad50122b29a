package io.ponte.node.storage;

import io.ponte.node.index.InstanceLocation;
import io.ponte.node.storage.blob.BlobStore;
import io.ponte.node.storage.blob.TierStatus;
import io.ponte.text.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Whether the copies the index promises are really there: the cache file with the indexed size and
 * SHA-256, the blob with the SHA-256 the upload recorded in its metadata, a packed instance's range
 * of its pack with the indexed size and SHA-256 (read: a pack's metadata holds no instance's
 * SHA-256). The index alone is never proof that an instance is held.
 */
@ApplicationScoped
public class StoredCopies {

  /** What a look at the Blob copy found. */
  public enum BlobCopy {
    INTACT,
    /** No such blob, or one with other content. */
    ABSENT,
    /** Blob did not answer: neither proof of presence nor of absence. */
    UNREACHABLE
  }

  @Inject NodeStorage storage;

  /** The cache file at the location's path, when it exists with the indexed size and SHA-256. */
  public boolean cacheIntact(InstanceLocation location) {
    if (location.cachePath() == null) {
      return false;
    }
    return fileIntact(storage.layout().resolve(location.cachePath()), location);
  }

  /** Whether {@code file} holds exactly the indexed bytes (size first: it costs no read). */
  static boolean fileIntact(Path file, InstanceLocation location) {
    try {
      if (Files.size(file) != location.size()) {
        return false;
      }
      try (InputStream in = Files.newInputStream(file)) {
        return holds(in, location);
      }
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code in} gives exactly the indexed bytes: their count and SHA-256. */
  public static boolean holds(InputStream in, InstanceLocation location) throws IOException {
    MessageDigest digest = Sha256.digest();
    byte[] buffer = new byte[64 * 1024];
    long size = 0;
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      digest.update(buffer, 0, n);
      size += n;
    }
    return size == location.size() && Sha256.hex(digest).equals(location.sha256());
  }

  /**
   * The blob, checked by the SHA-256 its upload recorded (a blob written without one is taken as
   * present: its bytes are verified when read back); a packed instance by its range of the pack.
   */
  public BlobCopy blob(InstanceLocation location) {
    if (location.packed()) {
      return packed(location);
    }
    try {
      Map<String, String> metadata = storage.blobStore().metadata(location.blobName());
      if (metadata == null) {
        return BlobCopy.ABSENT;
      }
      String sha256 = metadata.get("sha256");
      return sha256 == null || sha256.equals(location.sha256()) ? BlobCopy.INTACT : BlobCopy.ABSENT;
    } catch (IOException | RuntimeException e) {
      return BlobCopy.UNREACHABLE;
    }
  }

  /**
   * A packed instance: its range of the pack, and only that, read and compared with the indexed
   * size and SHA-256. The pack being there proves nothing about one instance in it; its metadata
   * names none's SHA-256. A pack that cannot be read because it is offline in Archive is taken as
   * present, as a blob without a recorded SHA-256 is: its bytes are verified when read back.
   */
  private BlobCopy packed(InstanceLocation location) {
    BlobStore blob = storage.blobStore();
    try (InputStream in = InstanceBlobs.primary(blob, location)) {
      return holds(in, location) ? BlobCopy.INTACT : BlobCopy.ABSENT;
    } catch (NoSuchFileException e) {
      return BlobCopy.ABSENT;
    } catch (IOException | RuntimeException e) {
      return unread(blob, location.blobName());
    }
  }

  /** Why a pack could not be read: gone, offline in Archive, or Blob not answering. */
  private static BlobCopy unread(BlobStore blob, String pack) {
    try {
      TierStatus tier = blob.tier(pack);
      if (tier == null) {
        return BlobCopy.ABSENT;
      }
      return tier.online() ? BlobCopy.UNREACHABLE : BlobCopy.INTACT;
    } catch (IOException | RuntimeException e) {
      return BlobCopy.UNREACHABLE;
    }
  }
}
