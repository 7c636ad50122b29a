package io.ponte.dicom;

import java.io.IOException;

/**
 * Input that is not valid DICOM: the message is "at byte N: reason", N being where the reader found
 * it.
 */
public class DicomParseException extends IOException {

  private static final long serialVersionUID = 1L;

  private final long offset;
  private final String reason;

  public DicomParseException(long offset, String reason) {
    super("at byte " + offset + ": " + reason);
    this.offset = offset;
    this.reason = reason;
  }

  public DicomParseException(long offset, String reason, Throwable cause) {
    super("at byte " + offset + ": " + reason, cause);
    this.offset = offset;
    this.reason = reason;
  }

  /** The byte offset in the (decoded) stream where the problem was found. */
  public long offset() {
    return offset;
  }

  /** The reason without the offset. */
  public String reason() {
    return reason;
  }
}
