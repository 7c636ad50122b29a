package io.ponte.dicom.net;

/**
 * What a C-FIND, C-GET or C-MOVE request and its association say: who asks (the calling AE title
 * and address), which operation and information model (the affected SOP class), and for C-MOVE the
 * destination AE title. The identifier travels beside it, already decoded.
 */
public record QueryRetrieveRequest(
    String callingAeTitle,
    String calledAeTitle,
    String remoteAddress,
    int commandField,
    String sopClassUid,
    int messageId,
    int priority,
    String moveDestination) {

  public boolean isFind() {
    return commandField == Command.C_FIND_RQ;
  }

  public boolean isGet() {
    return commandField == Command.C_GET_RQ;
  }

  public boolean isMove() {
    return commandField == Command.C_MOVE_RQ;
  }
}
