package io.ponte.node.index;

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
    InstanceLocation location) {

  public String sopInstanceUid() {
    return location.sopInstanceUid();
  }

  public long size() {
    return location.size();
  }
}
