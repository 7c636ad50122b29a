package io.ponte.dicom.net;

import java.util.List;

/** A-ASSOCIATE-RQ, or with answered contexts the A-ASSOCIATE-AC (PS3.8 9.3.2, 9.3.3). */
public record AssociateRequest(
    int protocolVersion,
    String calledAeTitle,
    String callingAeTitle,
    String applicationContext,
    List<PresentationContext> presentationContexts,
    UserInformation userInformation) {

  /** The DICOM application context name, the only one PS3.7 A.2.1 defines. */
  public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

  public AssociateRequest {
    presentationContexts = List.copyOf(presentationContexts);
  }

  public PresentationContext context(int id) {
    for (PresentationContext pc : presentationContexts) {
      if (pc.id() == id) {
        return pc;
      }
    }
    return null;
  }
}
