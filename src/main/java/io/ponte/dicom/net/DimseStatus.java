package io.ponte.dicom.net;

/**
 * A DIMSE status (PS3.7 Annex C, PS3.4 B.2.3) with the optional Error Comment (0000,0902), which
 * PS3.7 limits to 64 characters of the default repertoire. The constants are also the STOW-RS
 * Failure Reasons (PS3.18 Table I.2-2 takes its values from the same tables); which protocol
 * answers what for a refused store is decided in one table on the node (node/ingest/StoreRefusal).
 */
public record DimseStatus(int code, String errorComment) {

  public static final int SUCCESS = 0x0000;

  /**
   * PS3.7 9.1.1.1.9 / C.4: failures a C-STORE may answer besides the storage-specific ones below.
   */
  public static final int INVALID_SOP_INSTANCE = 0x0117;

  public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
  public static final int NOT_AUTHORIZED = 0x0124;
  public static final int UNRECOGNIZED_OPERATION = 0x0211;

  /** PS3.4 B.2.3 Storage statuses. */
  public static final int OUT_OF_RESOURCES = 0xA700;

  public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
  public static final int CANNOT_UNDERSTAND = 0xC000;

  /**
   * Our sub-codes of the Cxxx "Cannot understand" family (PS3.4 B.2.3 leaves xxx to the
   * implementation): PS3.7 allows neither 0111H (Duplicate SOP Instance) nor 0110H (Processing
   * failure) in a C-STORE-RSP, and dcmtk reports them as unknown, while every SCU reads Cxxx as a
   * failure not worth an automatic retry.
   */
  public static final int DUPLICATE_WITH_DIFFERENT_CONTENT = 0xC111;

  public static final int PROCESSING_FAILURE = 0xC110;

  /**
   * PS3.18 Table I.2-2 "Referenced Transfer Syntax not supported"; also a Cxxx "Cannot understand"
   * sub-code, so a C-STORE-RSP may carry it.
   */
  public static final int TRANSFER_SYNTAX_NOT_SUPPORTED = 0xC122;

  /**
   * PS3.7 C.4 "Duplicate SOP Instance": a STOW-RS Failure Reason only (see {@link
   * #DUPLICATE_WITH_DIFFERENT_CONTENT} for C-STORE).
   */
  public static final int DUPLICATE_SOP_INSTANCE = 0x0111;

  /** PS3.4 C.4.1.1.4 / C.4.2.1.5 / C.4.3.1.4 Query/Retrieve statuses. */
  public static final int CANCEL = 0xFE00;

  public static final int PENDING = 0xFF00;

  /** Pending, with optional keys the SCP did not support (PS3.4 C.4.1.1.4). */
  public static final int PENDING_WARNING = 0xFF01;

  public static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
  public static final int OUT_OF_RESOURCES_SUBOPERATIONS = 0xA702;

  /** Identifier does not match SOP Class (same code as the storage "does not match"). */
  public static final int IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS = 0xA900;

  /** Unable to process (the Cxxx family) for queries and retrieves. */
  public static final int UNABLE_TO_PROCESS = 0xC000;

  public static final int SUBOPERATIONS_COMPLETE_WITH_FAILURES = 0xB000;

  public static final DimseStatus OK = new DimseStatus(SUCCESS, null);

  public DimseStatus {
    if (errorComment != null) {
      errorComment = sanitize(errorComment);
    }
  }

  public static DimseStatus of(int code, String errorComment) {
    return new DimseStatus(code, errorComment);
  }

  public boolean isSuccess() {
    return code == SUCCESS;
  }

  public boolean isPending() {
    return code == PENDING || code == PENDING_WARNING;
  }

  /** PS3.7 C: 0000 success, Bxxx and 0001/0107/0116 warnings; everything else but pending fails. */
  public boolean isWarning() {
    return (code & 0xF000) == 0xB000 || code == 0x0001 || code == 0x0107 || code == 0x0116;
  }

  /**
   * LO value: at most 64 characters, no backslash or control characters (they would corrupt the
   * element).
   */
  private static String sanitize(String s) {
    StringBuilder b = new StringBuilder(Math.min(64, s.length()));
    for (int i = 0; i < s.length() && b.length() < 64; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c > 0x7E || c == '\\' ? '?' : c);
    }
    return b.toString().trim();
  }

  @Override
  public String toString() {
    return String.format("0x%04X%s", code, errorComment == null ? "" : " (" + errorComment + ")");
  }
}
