package io.ponte.dicom.net;

import java.io.IOException;

/**
 * The peer broke PS3.8 (malformed, unexpected or oversized PDU). The association is aborted with an
 * A-ABORT carrying {@link #abortReason()}; the message says what was wrong, for the log.
 */
public class DicomProtocolException extends IOException {

  /** PS3.8 Table 9-26 provider reasons. */
  public static final int REASON_NOT_SPECIFIED = 0;

  public static final int REASON_UNRECOGNIZED_PDU = 1;
  public static final int REASON_UNEXPECTED_PDU = 2;
  public static final int REASON_UNRECOGNIZED_PDU_PARAMETER = 4;
  public static final int REASON_UNEXPECTED_PDU_PARAMETER = 5;
  public static final int REASON_INVALID_PDU_PARAMETER_VALUE = 6;

  private final int abortReason;

  public DicomProtocolException(int abortReason, String message) {
    super(message);
    this.abortReason = abortReason;
  }

  public int abortReason() {
    return abortReason;
  }
}
