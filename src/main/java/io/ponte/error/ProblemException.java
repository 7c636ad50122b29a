package io.ponte.error;

import java.util.Map;

/**
 * A refusal or failure with a stable {@link ErrorCode}; mapped to problem+json or OperationOutcome.
 */
public class ProblemException extends RuntimeException {

  private final ErrorCode code;
  private final Map<String, Object> extensions;

  public ProblemException(ErrorCode code, String detail) {
    this(code, detail, Map.of(), null);
  }

  public ProblemException(
      ErrorCode code, String detail, Map<String, Object> extensions, Throwable cause) {
    super(detail, cause);
    // "Internal" is what a caller says when a query failed; a database that cannot be reached is
    // not the code's fault but an outage the client may retry (503), told apart here, in one place.
    boolean outage = code == ErrorCode.INTERNAL && DatabaseOutage.isCause(cause);
    this.code = outage ? ErrorCode.STORAGE_UNAVAILABLE : code;
    this.extensions =
        outage && !extensions.containsKey(Problem.RETRY_AFTER)
            ? withRetryAfter(extensions)
            : Map.copyOf(extensions);
  }

  private static Map<String, Object> withRetryAfter(Map<String, Object> extensions) {
    Map<String, Object> all = new java.util.HashMap<>(extensions);
    all.put(Problem.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS);
    return Map.copyOf(all);
  }

  public ErrorCode code() {
    return code;
  }

  /**
   * Extra members of the problem document (e.g. {@code site}); never stack traces or class names.
   */
  public Map<String, Object> extensions() {
    return extensions;
  }
}
