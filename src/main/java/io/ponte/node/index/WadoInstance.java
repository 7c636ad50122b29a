package io.ponte.node.index;

import java.time.Instant;

/**
 * An instance to retrieve, as the index knows it: enough to announce its part (transfer syntax,
 * size), find its frames (rows, number of frames) and open it (its location) without asking the
 * index again.
 */
public record WadoInstance(
    String studyUid,
    String seriesUid,
    String transferSyntaxUid,
    Integer rows,
    Integer numberOfFrames,
    InstanceLocation location,
    String accessTier,
    Instant rehydratingSince) {

  /** Whether the only copy is an archived blob: reading it needs a rehydration first. */
  public boolean archivedOnly() {
    return location.cachePath() == null && "ARCHIVE".equals(accessTier);
  }

  public String sopInstanceUid() {
    return location.sopInstanceUid();
  }

  public long size() {
    return location.size();
  }
}
