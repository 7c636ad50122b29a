package io.ponte.node.storage;

/**
 * A refused or failed store. The {@link Reason} decides the answer each protocol gives (DIMSE
 * status, STOW-RS FailureReason and HTTP status); the message is the human-readable comment.
 */
public class StoreException extends Exception {

  public enum Reason {
    /**
     * Not parseable as DICOM, or required attributes missing (DIMSE 0xC000 family, STOW 0xC000).
     */
    INVALID_DATA,
    /** A UID that is not a valid DICOM UID, or that disagrees between meta and data set. */
    INVALID_UID,
    /** Same SOP Instance UID already stored with different bytes: the original is kept. */
    CONFLICTING_DUPLICATE,
    /** SOP class or transfer syntax the node does not accept. */
    NOT_SUPPORTED,
    /** Disk or database failure: nothing was acknowledged (DIMSE 0xA700, STOW 0xA700/503). */
    OUT_OF_RESOURCES
  }

  private final Reason reason;
  private String sopClassUid;
  private String sopInstanceUid;

  public StoreException(Reason reason, String message) {
    this(reason, message, null);
  }

  public StoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Names the refused instance, when its header was read far enough to know (valid UIDs only). */
  public StoreException withInstance(String sopClassUid, String sopInstanceUid) {
    this.sopClassUid = sopClassUid;
    this.sopInstanceUid = sopInstanceUid;
    return this;
  }

  /** The refused instance's SOP Class UID, or null when unknown. */
  public String sopClassUid() {
    return sopClassUid;
  }

  /** The refused instance's SOP Instance UID, or null when unknown. */
  public String sopInstanceUid() {
    return sopInstanceUid;
  }
}
