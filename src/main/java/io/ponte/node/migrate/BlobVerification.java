package io.ponte.node.migrate;

import io.ponte.node.index.InstanceIndex;
import io.ponte.node.storage.NodeStorage;
import io.ponte.text.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether a migrated instance is really in Blob: the whole blob re-read and its SHA-256 compared
 * with the one the store computed from the source file (not the upload's own metadata, which only
 * says what the uploader meant to write). An instance not uploaded yet is simply not verified yet.
 */
@ApplicationScoped
class BlobVerification {

  private static final Logger LOG = Logger.getLogger(BlobVerification.class);

  enum Result {
    VERIFIED,
    /** Still PENDING upload (or its blob unreadable just now): try again later. */
    NOT_YET,
    /** The blob's bytes differ from the indexed SHA-256, or the instance left the index. */
    MISMATCH
  }

  @Inject InstanceIndex index;

  @Inject NodeStorage storage;

  Result verify(String sopInstanceUid) throws SQLException {
    Optional<InstanceIndex.Row> found = index.find(sopInstanceUid);
    if (found.isEmpty()) {
      LOG.warnf("migrated instance %s is no longer in the index", sopInstanceUid);
      return Result.MISMATCH;
    }
    InstanceIndex.Row row = found.get();
    if (!InstanceIndex.UPLOADED.equals(row.blobState())) {
      return Result.NOT_YET;
    }
    MessageDigest digest = Sha256.digest();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in =
        io.ponte.node.storage.InstanceBlobs.primary(storage.blobStore(), row.location())) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    } catch (NoSuchFileException e) {
      LOG.warnf("blob %s of migrated instance %s is missing", row.blobName(), sopInstanceUid);
      return Result.MISMATCH;
    } catch (IOException | RuntimeException e) {
      return Result.NOT_YET;
    }
    if (!Sha256.hex(digest).equals(row.sha256())) {
      LOG.warnf(
          "blob %s of migrated instance %s differs from its SHA-256",
          row.blobName(), sopInstanceUid);
      return Result.MISMATCH;
    }
    return Result.VERIFIED;
  }
}
