package io.ponte.dicom;

/** A string that is not a valid DICOM UID (PS3.5 9.1); the message names the reason. */
public class InvalidUidException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidUidException(String message) {
    super(message);
  }
}
