package io.ponte.dicom.json;

import java.io.IOException;

/**
 * DICOM JSON that is malformed or does not fit the model (PS3.18 Annex F). The message names where:
 * the path of the element, e.g. {@code (0040,A730)[0](0010,0010)}, and the line and column when
 * known.
 */
public class DicomJsonException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String path;
  private final String reason;

  public DicomJsonException(String path, String reason, String location, Throwable cause) {
    super(format(path, reason, location), cause);
    this.path = path;
    this.reason = reason;
  }

  private static String format(String path, String reason, String location) {
    StringBuilder sb = new StringBuilder();
    if (path != null && !path.isEmpty()) {
      sb.append(path).append(": ");
    }
    sb.append(reason);
    if (location != null) {
      sb.append(" (").append(location).append(')');
    }
    return sb.toString();
  }

  /** The element path, e.g. "(0040,A730)[0](0010,0010)"; empty at the top level. */
  public String path() {
    return path;
  }

  /** The reason without path and location. */
  public String reason() {
    return reason;
  }
}
