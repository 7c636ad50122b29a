package io.ponte.hub.audit;

/** What was done; BALP maps these to AuditEvent.subtype later (read, search-type, update, link). */
public enum AuditAction {
  READ,
  SEARCH,
  CREATE,
  UPDATE,
  IDENTITY_LINK;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
