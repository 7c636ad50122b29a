package io.ponte.node.storage;

import java.time.Instant;

/**
 * When a newly received instance is first due for an upload of its own: at once, or later while it
 * waits to go up in a pack with the rest of its series (packing at ingest, {@code
 * io.ponte.node.storage.pack.IngestPacker}). Ingest asks this before it indexes an instance; the
 * upload queue then simply does not offer the instance before that time.
 */
public interface UploadHold {

  /** The time the instance received at {@code receivedAt} is first due for its own upload. */
  Instant uploadDueAt(IngestSource.Protocol protocol, Instant receivedAt, long size);
}
