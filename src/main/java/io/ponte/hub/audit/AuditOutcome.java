package io.ponte.hub.audit;

/**
 * How it ended: done, refused for who the caller is (401/403), refused for what was sent (4xx),
 * failed (5xx), or deferred (2xx without the data, e.g. 202 while a study is restored from the
 * archive tier: nothing was disclosed yet).
 */
public enum AuditOutcome {
  SUCCESS,
  DENIED,
  INVALID,
  ERROR,
  DEFERRED;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static AuditOutcome ofStatus(int status) {
    if (status == 401 || status == 403) {
      return DENIED;
    }
    if (status < 300) {
      return DEFERRED;
    }
    return status < 500 ? INVALID : ERROR;
  }
}
