package io.ponte.dicom.net;

/** A-ASSOCIATE-RJ: result, source and reason as PS3.8 Table 9-21 numbers them. */
public record AssociateReject(int result, int source, int reason) {

  public static final int PERMANENT = 1;
  public static final int TRANSIENT = 2;

  public static final int SOURCE_SERVICE_USER = 1;
  public static final int SOURCE_PROVIDER_ACSE = 2;
  public static final int SOURCE_PROVIDER_PRESENTATION = 3;

  /** Reasons for source 1 (service user). */
  public static final int NO_REASON_GIVEN = 1;

  public static final int APPLICATION_CONTEXT_NOT_SUPPORTED = 2;
  public static final int CALLING_AE_NOT_RECOGNIZED = 3;
  public static final int CALLED_AE_NOT_RECOGNIZED = 7;

  /** Reason for source 2 (ACSE). */
  public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 2;

  /** Reasons for source 3 (presentation). */
  public static final int TEMPORARY_CONGESTION = 1;

  public static final int LOCAL_LIMIT_EXCEEDED = 2;

  @Override
  public String toString() {
    return "A-ASSOCIATE-RJ(result=" + result + ", source=" + source + ", reason=" + reason + ")";
  }
}
