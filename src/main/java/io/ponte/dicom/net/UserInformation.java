package io.ponte.dicom.net;

/**
 * The user information item we read and write (PS3.8 D.1, D.3.3.2): the maximum P-DATA-TF PDU
 * length the sender can receive (0 = unlimited) and its implementation identity. Other sub-items
 * (asynchronous window, role selection, extended negotiation, user identity) are read past and not
 * answered, which PS3.7 D.3.3 defines as "defaults apply".
 */
public record UserInformation(
    long maxPduLength, String implementationClassUid, String implementationVersionName) {}
