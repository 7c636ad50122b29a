package io.ponte.node.rebuild;

/**
 * What a rebuild did with one object of the container; {@code reason} says why when not indexed.
 */
record ObjectOutcome(String name, Kind kind, String reason) {

  enum Kind {
    /** Indexed now. */
    INDEXED,
    /** Its SOP Instance UID was indexed already (a rerun, or the serving node had it). */
    ALREADY_INDEXED,
    /** Not an instance this node can index: not DICOM, damaged, archived, misplaced. */
    UNREADABLE,
    /** Blob or the index failed while it was handled: a rerun tries it again. */
    FAILED
  }

  static ObjectOutcome unreadable(String name, String reason) {
    return new ObjectOutcome(name, Kind.UNREADABLE, reason);
  }

  static ObjectOutcome failed(String name, String reason) {
    return new ObjectOutcome(name, Kind.FAILED, reason);
  }
}
