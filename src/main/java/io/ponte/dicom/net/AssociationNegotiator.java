package io.ponte.dicom.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides on an A-ASSOCIATE-RQ: reject it (wrong called AE, calling AE not allowed or not from its
 * addresses, unknown application context, unsupported protocol version) or answer each presentation
 * context. A context is accepted when its abstract syntax is configured, with the first transfer
 * syntax of OUR preference list that the requestor proposed, so that we, not the peer, decide e.g.
 * explicit over implicit VR.
 */
public final class AssociationNegotiator {

  private final AcceptorConfig config;

  public AssociationNegotiator(AcceptorConfig config) {
    this.config = config;
  }

  /** As {@link #reject(AssociateRequest, InetAddress)}, from an unknown address. */
  public AssociateReject reject(AssociateRequest rq) {
    return reject(rq, null);
  }

  /**
   * The reason to refuse the association from {@code peer} outright, or null when it may proceed.
   */
  public AssociateReject reject(AssociateRequest rq, InetAddress peer) {
    if ((rq.protocolVersion() & 1) == 0) {
      return new AssociateReject(
          AssociateReject.PERMANENT,
          AssociateReject.SOURCE_PROVIDER_ACSE,
          AssociateReject.PROTOCOL_VERSION_NOT_SUPPORTED);
    }
    if (!AssociateRequest.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContext())) {
      return new AssociateReject(
          AssociateReject.PERMANENT,
          AssociateReject.SOURCE_SERVICE_USER,
          AssociateReject.APPLICATION_CONTEXT_NOT_SUPPORTED);
    }
    // PS3.8 9.3.2: leading and trailing spaces are not significant; the decoder has trimmed them.
    if (!config.aeTitle().trim().equals(rq.calledAeTitle())) {
      return new AssociateReject(
          AssociateReject.PERMANENT,
          AssociateReject.SOURCE_SERVICE_USER,
          AssociateReject.CALLED_AE_NOT_RECOGNIZED);
    }
    if (!config.allowedCallingAeTitles().isEmpty()
        && !config.allowedCallingAeTitles().contains(rq.callingAeTitle())) {
      return new AssociateReject(
          AssociateReject.PERMANENT,
          AssociateReject.SOURCE_SERVICE_USER,
          AssociateReject.CALLING_AE_NOT_RECOGNIZED);
    }
    if (!config.callerAddresses().allows(rq.callingAeTitle(), peer)) {
      // A known title from an address it is not known at: as unknown as any other title.
      return new AssociateReject(
          AssociateReject.PERMANENT,
          AssociateReject.SOURCE_SERVICE_USER,
          AssociateReject.CALLING_AE_NOT_RECOGNIZED);
    }
    return null;
  }

  /** The A-ASSOCIATE-AC answering an acceptable request. */
  public AssociateRequest accept(AssociateRequest rq) {
    List<PresentationContext> answers = new ArrayList<>(rq.presentationContexts().size());
    List<RoleSelection> roles = new ArrayList<>();
    for (PresentationContext pc : rq.presentationContexts()) {
      RoleSelection proposed = rq.userInformation().roleSelection(pc.abstractSyntax());
      if (config.acceptsStorageScpRole()
          && proposed != null
          && proposed.scpRole()
          && !config.sopClasses().contains(pc.abstractSyntax())) {
        PresentationContext answer = storageScpRole(pc);
        answers.add(answer);
        if (answer.accepted()
            && roles.stream().noneMatch(r -> r.sopClassUid().equals(pc.abstractSyntax()))) {
          // We accept the requestor as SCP of this class (it receives), not as its SCU.
          roles.add(new RoleSelection(pc.abstractSyntax(), false, true));
        }
        continue;
      }
      answers.add(answer(pc));
    }
    return new AssociateRequest(
        1,
        rq.calledAeTitle(),
        rq.callingAeTitle(),
        AssociateRequest.DICOM_APPLICATION_CONTEXT,
        answers,
        new UserInformation(
            config.maxPduLength(),
            AcceptorConfig.IMPLEMENTATION_CLASS_UID,
            AcceptorConfig.IMPLEMENTATION_VERSION_NAME,
            roles));
  }

  /**
   * A storage context the requestor receives on (C-GET): accepted with explicit or implicit VR
   * little endian when proposed, else with the first proposed transfer syntax, since the data sent
   * on it is in whatever syntax it is stored in and only the requestor knows what it can read.
   */
  private static PresentationContext storageScpRole(PresentationContext pc) {
    String ts = pc.transferSyntaxes().get(0);
    for (String preferred :
        List.of(
            AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN, AcceptorConfig.IMPLICIT_VR_LITTLE_ENDIAN)) {
      if (pc.transferSyntaxes().contains(preferred)) {
        ts = preferred;
        break;
      }
    }
    return new PresentationContext(
        pc.id(), pc.abstractSyntax(), List.of(ts), PresentationContext.ACCEPTANCE);
  }

  private PresentationContext answer(PresentationContext pc) {
    boolean verification = AcceptorConfig.VERIFICATION.equals(pc.abstractSyntax());
    if (!verification && !config.sopClasses().contains(pc.abstractSyntax())) {
      return rejected(pc, PresentationContext.ABSTRACT_SYNTAX_NOT_SUPPORTED);
    }
    List<String> ours =
        verification
            ? List.of(
                AcceptorConfig.EXPLICIT_VR_LITTLE_ENDIAN, AcceptorConfig.IMPLICIT_VR_LITTLE_ENDIAN)
            : config.transferSyntaxes();
    for (String ts : ours) {
      if (pc.transferSyntaxes().contains(ts)) {
        return new PresentationContext(
            pc.id(), pc.abstractSyntax(), List.of(ts), PresentationContext.ACCEPTANCE);
      }
    }
    return rejected(pc, PresentationContext.TRANSFER_SYNTAXES_NOT_SUPPORTED);
  }

  private static PresentationContext rejected(PresentationContext pc, int reason) {
    // PS3.8 9.3.3.2: the transfer syntax sub-item is not significant when the context is rejected.
    return new PresentationContext(
        pc.id(), pc.abstractSyntax(), List.of(AcceptorConfig.IMPLICIT_VR_LITTLE_ENDIAN), reason);
  }
}
