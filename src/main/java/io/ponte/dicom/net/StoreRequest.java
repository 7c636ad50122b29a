package io.ponte.dicom.net;

/** What a C-STORE-RQ and its association say about the instance whose data set follows. */
public record StoreRequest(
    String callingAeTitle,
    String calledAeTitle,
    String remoteAddress,
    String sopClassUid,
    String sopInstanceUid,
    String transferSyntaxUid,
    int messageId,
    int priority,
    String moveOriginatorAeTitle) {}
