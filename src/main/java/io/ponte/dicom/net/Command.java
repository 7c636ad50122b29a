package io.ponte.dicom.net;

/**
 * The group-0000 elements of the DIMSE commands we speak (PS3.7 9.3, E.1): C-ECHO, C-STORE, C-FIND,
 * C-GET, C-MOVE and C-CANCEL requests and responses. Encoded as implicit VR little endian by {@link
 * CommandCodec}.
 */
public final class Command {

  public static final int C_STORE_RQ = 0x0001;
  public static final int C_STORE_RSP = 0x8001;
  public static final int C_ECHO_RQ = 0x0030;
  public static final int C_ECHO_RSP = 0x8030;
  public static final int C_GET_RQ = 0x0010;
  public static final int C_GET_RSP = 0x8010;
  public static final int C_FIND_RQ = 0x0020;
  public static final int C_FIND_RSP = 0x8020;
  public static final int C_MOVE_RQ = 0x0021;
  public static final int C_MOVE_RSP = 0x8021;
  public static final int C_CANCEL_RQ = 0x0FFF;
  public static final int RESPONSE_BIT = 0x8000;

  /** CommandDataSetType value meaning "no data set follows" (PS3.7 E.1). */
  public static final int NO_DATA_SET = 0x0101;

  public static final int DATA_SET_PRESENT = 0x0000;

  public int commandField;
  public int messageId = -1;
  public int messageIdBeingRespondedTo = -1;
  public String affectedSopClassUid;
  public String affectedSopInstanceUid;
  public int priority = -1;
  public int dataSetType = NO_DATA_SET;
  public int status = -1;
  public String errorComment;
  public String moveOriginatorAeTitle;
  public int moveOriginatorMessageId = -1;
  public String moveDestination;
  public int remainingSuboperations = -1;
  public int completedSuboperations = -1;
  public int failedSuboperations = -1;
  public int warningSuboperations = -1;

  public boolean hasDataSet() {
    return dataSetType != NO_DATA_SET;
  }

  public boolean isResponse() {
    return (commandField & RESPONSE_BIT) != 0;
  }

  public static Command echoRq(int messageId) {
    Command c = new Command();
    c.commandField = C_ECHO_RQ;
    c.messageId = messageId;
    c.affectedSopClassUid = AcceptorConfig.VERIFICATION;
    return c;
  }

  public static Command storeRq(int messageId, String sopClassUid, String sopInstanceUid) {
    Command c = new Command();
    c.commandField = C_STORE_RQ;
    c.messageId = messageId;
    c.priority = 0;
    c.affectedSopClassUid = sopClassUid;
    c.affectedSopInstanceUid = sopInstanceUid;
    c.dataSetType = DATA_SET_PRESENT;
    return c;
  }

  /**
   * The response to {@code rq}, with {@code status}; C-ECHO-RSP carries no SOP instance (PS3.7
   * 9.3.5.2).
   */
  public static Command responseTo(Command rq, DimseStatus status) {
    Command c = new Command();
    c.commandField = rq.commandField | RESPONSE_BIT;
    c.messageIdBeingRespondedTo = rq.messageId;
    c.affectedSopClassUid = rq.affectedSopClassUid;
    c.affectedSopInstanceUid = rq.affectedSopInstanceUid;
    c.status = status.code();
    c.errorComment = status.isSuccess() || status.isPending() ? null : status.errorComment();
    return c;
  }

  @Override
  public String toString() {
    return String.format(
        "Command[0x%04X id=%d rsp-to=%d class=%s instance=%s status=%s]",
        commandField,
        messageId,
        messageIdBeingRespondedTo,
        affectedSopClassUid,
        affectedSopInstanceUid,
        status < 0 ? "-" : String.format("0x%04X", status));
  }
}
