package io.ponte.dicom.net;

import java.util.List;

/**
 * The user information item we read and write (PS3.8 D.1, D.3.3.2): the maximum P-DATA-TF PDU
 * length the sender can receive (0 = unlimited), its implementation identity, and SCP/SCU role
 * selections (PS3.7 D.3.3.4, needed by C-GET). Other sub-items (asynchronous window, extended
 * negotiation, user identity) are read past and not answered, which PS3.7 D.3.3 defines as
 * "defaults apply".
 */
public record UserInformation(
    long maxPduLength,
    String implementationClassUid,
    String implementationVersionName,
    List<RoleSelection> roleSelections) {

  public UserInformation {
    roleSelections = roleSelections == null ? List.of() : List.copyOf(roleSelections);
  }

  public UserInformation(
      long maxPduLength, String implementationClassUid, String implementationVersionName) {
    this(maxPduLength, implementationClassUid, implementationVersionName, List.of());
  }

  /** The role selection proposed for {@code sopClassUid}, or null. */
  public RoleSelection roleSelection(String sopClassUid) {
    for (RoleSelection r : roleSelections) {
      if (r.sopClassUid().equals(sopClassUid)) {
        return r;
      }
    }
    return null;
  }
}
