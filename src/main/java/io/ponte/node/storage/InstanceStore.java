package io.ponte.node.storage;

import java.io.InputStream;

/**
 * Takes in one DICOM instance, durably: the call returns only after the bytes are fsync'd into the
 * local cache (temp file, fsync, atomic rename) and the index row is committed; the upload to Blob
 * follows asynchronously. An instance is stored once per SOP Instance UID: identical bytes again
 * succeed without a second copy, different bytes under the same UID are refused and the original
 * kept. Implemented by node/storage; used by DIMSE C-STORE and STOW-RS ingest alike.
 */
public interface InstanceStore {

  /**
   * A bare data set as received over DIMSE (no preamble, no file meta), in {@code
   * transferSyntaxUid}; stored byte-exact behind file meta information that the store generates.
   */
  StoredInstance storeDataset(
      IngestSource source,
      String sopClassUid,
      String sopInstanceUid,
      String transferSyntaxUid,
      InputStream dataset)
      throws StoreException;

  /**
   * A DICOM Part 10 stream (preamble, DICM, file meta, data set), as received by STOW-RS; stored
   * byte-exact.
   */
  StoredInstance storePart10(IngestSource source, InputStream part10) throws StoreException;

  /**
   * As {@link #storePart10(IngestSource, InputStream)}, but refuses (with {@link
   * StudyMismatchException}) an instance of another study than {@code requiredStudyUid}: STOW-RS to
   * {@code /studies/{study}}. A null {@code requiredStudyUid} accepts any study. (A default only so
   * that test fakes of this interface need not implement it; the node's store does.)
   */
  default StoredInstance storePart10(
      IngestSource source, InputStream part10, String requiredStudyUid) throws StoreException {
    if (requiredStudyUid == null) {
      return storePart10(source, part10);
    }
    throw new UnsupportedOperationException("this store cannot check the study before storing");
  }
}
