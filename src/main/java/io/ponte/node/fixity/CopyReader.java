package io.ponte.node.fixity;

import io.ponte.node.index.FixityIndex;
import io.ponte.node.index.InstanceLocation;
import io.ponte.node.storage.InstanceBlobs;
import io.ponte.node.storage.NodeStorage;
import io.ponte.node.storage.StoredCopies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/**
 * Re-reads an instance's copies (cache file, blob, replica blob) whole and compares their bytes
 * with the index. Unlike the verifier's Blob check, which trusts the SHA-256 the upload recorded in
 * the blob's metadata, this reads the blob's content: bit rot or an overwrite leaves that metadata
 * as it was.
 */
@ApplicationScoped
class CopyReader {

  @Inject NodeStorage storage;

  /** The cache file, when the index says the instance has one. */
  CopyState cache(InstanceLocation at) {
    if (at.cachePath() == null) {
      return CopyState.NOT_HELD;
    }
    try (InputStream in = Files.newInputStream(storage.layout().resolve(at.cachePath()))) {
      return StoredCopies.holds(in, at) ? CopyState.INTACT : CopyState.DAMAGED;
    } catch (NoSuchFileException e) {
      return CopyState.MISSING;
    } catch (IOException e) {
      // The local disk failed to give the bytes back: as bad as wrong bytes.
      return CopyState.DAMAGED;
    }
  }

  /** The blob, when the instance was uploaded and its tier lets it be read now. */
  CopyState blob(FixityIndex.Candidate instance) {
    if (!instance.uploaded()) {
      return CopyState.NOT_HELD;
    }
    if (instance.archived()) {
      return CopyState.ARCHIVED;
    }
    InstanceLocation at = instance.location();
    try (InputStream in = InstanceBlobs.primary(storage.blobStore(), at)) {
      return StoredCopies.holds(in, at) ? CopyState.INTACT : CopyState.DAMAGED;
    } catch (NoSuchFileException e) {
      return CopyState.MISSING;
    } catch (IOException | RuntimeException e) {
      return CopyState.UNREACHABLE;
    }
  }

  /** The replica's copy, once replication verified it (and while a replica is configured). */
  CopyState replica(FixityIndex.Candidate instance) {
    if (!storage.replicated() || !instance.replicated()) {
      return CopyState.NOT_HELD;
    }
    InstanceLocation at = instance.location();
    try (InputStream in = InstanceBlobs.replica(storage.replicaStore(), at)) {
      return StoredCopies.holds(in, at) ? CopyState.INTACT : CopyState.DAMAGED;
    } catch (NoSuchFileException e) {
      return CopyState.MISSING;
    } catch (IOException | RuntimeException e) {
      return CopyState.UNREACHABLE;
    }
  }
}
