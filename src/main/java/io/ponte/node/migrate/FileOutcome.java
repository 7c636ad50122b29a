package io.ponte.node.migrate;

/** What became of one file; all but {@link Kind#FAILED} are final and checkpointed. */
record FileOutcome(SourceFile file, Kind kind, String sopInstanceUid, String reason) {

  enum Kind {
    /** Stored anew in the node. */
    MIGRATED,
    /** The node already held the same bytes under this SOP Instance UID. */
    DUPLICATE,
    /** A DICOMDIR (a media directory, not an instance): skipped as such. */
    DICOMDIR,
    /** Not DICOM, damaged, or refused by the store; the reason says which. */
    UNREADABLE,
    /**
     * A remote source's study, all of whose instances have a final outcome (its size is the
     * instance count the source listed); never counted as a file.
     */
    STUDY,
    /** The node could not take it now (disk, database): not checkpointed, retried next run. */
    FAILED
  }

  static FileOutcome unreadable(SourceFile file, String reason) {
    return new FileOutcome(file, Kind.UNREADABLE, null, reason);
  }
}
