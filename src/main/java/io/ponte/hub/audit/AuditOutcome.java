package io.ponte.hub.audit;

/**
 * How it ended: done, refused for who the caller is (401/403), refused for what was sent (4xx), or
 * failed (5xx).
 */
public enum AuditOutcome {
  SUCCESS,
  DENIED,
  INVALID,
  ERROR;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static AuditOutcome ofStatus(int status) {
    if (status == 401 || status == 403) {
      return DENIED;
    }
    return status < 500 ? INVALID : ERROR;
  }
}
