package io.ponte.dicom.net;

/**
 * SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4): for one SOP class, whether the requestor
 * proposes (or the acceptor accepts) that the requestor acts as SCU and as SCP. A C-GET SCU asks
 * for the SCP role of the storage SOP classes it wants to receive on the same association.
 */
public record RoleSelection(String sopClassUid, boolean scuRole, boolean scpRole) {}
