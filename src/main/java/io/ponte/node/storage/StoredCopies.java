package io.ponte.node.storage;

import io.ponte.node.index.InstanceLocation;
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
 * SHA-256, the blob with the SHA-256 the upload recorded in its metadata. The index alone is never
 * proof that an instance is held.
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
      MessageDigest digest = Sha256.digest();
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = Files.newInputStream(file)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          digest.update(buffer, 0, n);
        }
      }
      return Sha256.hex(digest).equals(location.sha256());
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The blob, checked by the SHA-256 its upload recorded (a blob written without one is taken as
   * present: its bytes are verified when read back).
   */
  public BlobCopy blob(InstanceLocation location) {
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
}
