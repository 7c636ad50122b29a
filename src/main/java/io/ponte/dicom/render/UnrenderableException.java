package io.ponte.dicom.render;

/**
 * The instance cannot be drawn: no pixel data (a report, a manifest), a frame that does not exist,
 * or a pixel encoding this renderer does not decode (compressed, YBR, 32-bit). The caller answers
 * with the standard error or draws a placeholder.
 */
public class UnrenderableException extends Exception {

  /** Why, in the terms a DICOMweb error uses. */
  public enum Reason {
    NOT_AN_IMAGE,
    NO_SUCH_FRAME,
    UNSUPPORTED_ENCODING
  }

  private final Reason reason;

  public UnrenderableException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
