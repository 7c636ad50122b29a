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
    this.code = code;
    this.extensions = Map.copyOf(extensions);
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
