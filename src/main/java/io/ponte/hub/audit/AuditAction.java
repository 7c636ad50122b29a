package io.ponte.hub.audit;

/** What was done; BALP maps these to AuditEvent.subtype later (read, search-type, update, link). */
public enum AuditAction {
  READ,
  SEARCH,
  CREATE,
  UPDATE,
  /** A resource removed (a study a node withdrew after deleting it). */
  DELETE,
  /** Local patients made one person (by an admin, a reviewer, the matcher or a stated id). */
  IDENTITY_LINK,
  /** A local patient taken out of a person (the history keeps the link). */
  IDENTITY_UNLINK,
  /** A reviewer said a proposed pair is not one person (never proposed again). */
  IDENTITY_REJECT,
  /**
   * Images sent out of the exchange to a clinic's own PACS ("Send to my PACS"; DICOM DCM 110106
   * Export).
   */
  EXPORT;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
