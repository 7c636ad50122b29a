package io.ponte.node.ingest;

import io.ponte.dicom.DicomValueTooLongException;
import io.ponte.dicom.UnknownTransferSyntaxException;
import io.ponte.dicom.net.DimseStatus;
import io.ponte.error.ErrorCode;
import io.ponte.node.storage.StoreException;
import io.ponte.node.storage.StudyMismatchException;

/**
 * Why the node refused to store an instance, and what each ingest protocol answers for it: the one
 * table behind C-STORE-RSP statuses (PS3.4 B.2.3, PS3.7 C) and STOW-RS Failure Reasons (PS3.18
 * Table I.2-2), each with the stable {@link ErrorCode} that the DIMSE Error Comment and the logs
 * carry. The two protocols differ only where the standard makes them: a C-STORE-RSP may not carry
 * PS3.7's 0111H "Duplicate SOP Instance", so DIMSE answers our C111H sub-code of "Cannot
 * understand"; and a malformed UID on DIMSE disagrees with the command (A900H), while a STOW part
 * has no command to disagree with (C000H).
 */
public enum StoreRefusal {
  /** Not parseable as DICOM, or required attributes missing. */
  INVALID_DATA(
      DimseStatus.CANNOT_UNDERSTAND, DimseStatus.CANNOT_UNDERSTAND, ErrorCode.INVALID_DICOM),
  /**
   * A UID that is not a valid DICOM UID, or that disagrees between command or meta and data set.
   */
  INVALID_UID(
      DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
      DimseStatus.CANNOT_UNDERSTAND,
      ErrorCode.INVALID_UID),
  /** STOW-RS to /studies/{study} of an instance of another study. */
  STUDY_MISMATCH(
      DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
      DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
      ErrorCode.CONFLICT),
  /** Same SOP Instance UID already stored with different bytes: the original is kept. */
  CONFLICTING_DUPLICATE(
      DimseStatus.DUPLICATE_WITH_DIFFERENT_CONTENT,
      DimseStatus.DUPLICATE_SOP_INSTANCE,
      ErrorCode.CONFLICT),
  /** A SOP class the node does not store. */
  SOP_CLASS_NOT_SUPPORTED(
      DimseStatus.SOP_CLASS_NOT_SUPPORTED,
      DimseStatus.SOP_CLASS_NOT_SUPPORTED,
      ErrorCode.UNSUPPORTED_MEDIA_TYPE),
  /** A transfer syntax the node cannot read (DIMSE refuses it already in negotiation). */
  TRANSFER_SYNTAX_NOT_SUPPORTED(
      DimseStatus.TRANSFER_SYNTAX_NOT_SUPPORTED,
      DimseStatus.TRANSFER_SYNTAX_NOT_SUPPORTED,
      ErrorCode.UNSUPPORTED_MEDIA_TYPE),
  /**
   * A non-pixel value over ponte.node.ingest.max-element-bytes, or a header over max-header-bytes:
   * a resource limit of this node (the data may be valid DICOM), hence "Refused: Out of Resources"
   * in both protocols, with a code that says which.
   */
  ELEMENT_TOO_LARGE(
      DimseStatus.OUT_OF_RESOURCES, DimseStatus.OUT_OF_RESOURCES, ErrorCode.PAYLOAD_TOO_LARGE),
  /** Disk or database failure: nothing was acknowledged. */
  OUT_OF_RESOURCES(
      DimseStatus.OUT_OF_RESOURCES, DimseStatus.OUT_OF_RESOURCES, ErrorCode.STORAGE_UNAVAILABLE);

  private final int dimseStatus;
  private final int stowFailureReason;
  private final ErrorCode errorCode;

  StoreRefusal(int dimseStatus, int stowFailureReason, ErrorCode errorCode) {
    this.dimseStatus = dimseStatus;
    this.stowFailureReason = stowFailureReason;
    this.errorCode = errorCode;
  }

  /** The C-STORE-RSP status. */
  public int dimseStatus() {
    return dimseStatus;
  }

  /** The STOW-RS Failure Reason (0008,1197). */
  public int stowFailureReason() {
    return stowFailureReason;
  }

  public ErrorCode errorCode() {
    return errorCode;
  }

  /**
   * The C-STORE-RSP for this refusal: its status, and an Error Comment that begins with the code.
   */
  public DimseStatus dimse(String detail) {
    return DimseStatus.of(dimseStatus, errorCode.comment(detail));
  }

  /**
   * The human-readable reason: the store's message, or, when the codec refused the data for a limit
   * or a transfer syntax, the codec's own reason (the store words every parse failure as "not
   * readable as DICOM", which would mislead here).
   */
  public static String detail(StoreException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof DicomValueTooLongException v) {
        return v.reason();
      }
      if (t instanceof UnknownTransferSyntaxException u) {
        return u.reason();
      }
    }
    return e.getMessage();
  }

  /** The refusal a store failure stands for. */
  public static StoreRefusal of(StoreException e) {
    if (e instanceof StudyMismatchException) {
      return STUDY_MISMATCH;
    }
    // The store reports every parse failure as invalid data; the reader's own exception says
    // whether the data was refused for the node's limits or an unknown transfer syntax instead.
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof DicomValueTooLongException) {
        return ELEMENT_TOO_LARGE;
      }
      if (t instanceof UnknownTransferSyntaxException) {
        return TRANSFER_SYNTAX_NOT_SUPPORTED;
      }
    }
    return switch (e.reason()) {
      case INVALID_DATA -> INVALID_DATA;
      case INVALID_UID -> INVALID_UID;
      case CONFLICTING_DUPLICATE -> CONFLICTING_DUPLICATE;
      case NOT_SUPPORTED -> SOP_CLASS_NOT_SUPPORTED;
      case OUT_OF_RESOURCES -> OUT_OF_RESOURCES;
    };
  }
}
