package io.ponte.dicom.net;

import static io.ponte.dicom.net.DicomProtocolException.REASON_UNEXPECTED_PDU;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * The requestor side, kept minimal: open an association, C-ECHO, C-STORE a data set streamed from
 * an InputStream, release or abort. Used for checks against peers (C-ECHO of a PACS), tests and
 * benchmarks. One operation at a time; not thread-safe.
 */
public final class ClientAssociation implements Closeable {

  private static final int MAX_ASSOCIATE_PDU_LENGTH = 256 * 1024;

  private final Socket socket;
  private final PduInput in;
  private final PduOutput out;
  private final AssociateRequest rq;
  private AssociateRequest ac;
  private int maxSendData;
  private int nextMessageId = 1;

  private ClientAssociation(Socket socket, AssociateRequest rq, int maxPduLength)
      throws IOException {
    this.socket = socket;
    this.rq = rq;
    this.in =
        new PduInput(
            new BufferedInputStream(socket.getInputStream(), 64 * 1024),
            maxPduLength,
            MAX_ASSOCIATE_PDU_LENGTH);
    this.out = new PduOutput(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
  }

  /** Connects and negotiates; throws {@link AssociationRejectedException} on A-ASSOCIATE-RJ. */
  public static ClientAssociation open(
      String host,
      int port,
      String callingAeTitle,
      String calledAeTitle,
      List<PresentationContext> proposed,
      int maxPduLength,
      Duration timeout)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      AssociateRequest rq =
          new AssociateRequest(
              1,
              calledAeTitle,
              callingAeTitle,
              AssociateRequest.DICOM_APPLICATION_CONTEXT,
              proposed,
              new UserInformation(
                  maxPduLength,
                  AcceptorConfig.IMPLEMENTATION_CLASS_UID,
                  AcceptorConfig.IMPLEMENTATION_VERSION_NAME));
      ClientAssociation a = new ClientAssociation(socket, rq, maxPduLength);
      a.negotiate();
      return a;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private void negotiate() throws IOException {
    out.write(PduCodec.encodeAssociateRq(rq));
    int type = in.next();
    if (type == Pdu.A_ASSOCIATE_RJ) {
      throw new AssociationRejectedException(PduCodec.decodeAssociateRj(in.body()));
    }
    if (type == Pdu.A_ABORT) {
      throw new PeerAbortException();
    }
    if (type != Pdu.A_ASSOCIATE_AC) {
      throw new DicomProtocolException(
          REASON_UNEXPECTED_PDU,
          (type < 0 ? "connection closed" : Pdu.name(type)) + " instead of A-ASSOCIATE-AC");
    }
    ac = PduCodec.decodeAssociate(type, in.body());
    long peerMax = ac.userInformation().maxPduLength();
    long sendPdu = peerMax == 0 ? 1024 * 1024 : Math.min(peerMax, 1024 * 1024);
    maxSendData = (int) Math.max(1, sendPdu - Pdu.PDV_HEADER_LENGTH);
  }

  /** The A-ASSOCIATE-AC as received. */
  public AssociateRequest accepted() {
    return ac;
  }

  public DimseStatus echo() throws IOException {
    int pcId = acceptedContext(AcceptorConfig.VERIFICATION, null);
    Command rsp = invoke(pcId, Command.echoRq(nextMessageId++), null);
    return DimseStatus.of(rsp.status, rsp.errorComment);
  }

  /**
   * Sends {@code dataset} (bare data set, already in {@code transferSyntaxUid}) and returns the
   * SCP's status.
   */
  public DimseStatus store(
      String sopClassUid, String sopInstanceUid, String transferSyntaxUid, InputStream dataset)
      throws IOException {
    int pcId = acceptedContext(sopClassUid, transferSyntaxUid);
    Command rsp =
        invoke(pcId, Command.storeRq(nextMessageId++, sopClassUid, sopInstanceUid), dataset);
    return DimseStatus.of(rsp.status, rsp.errorComment);
  }

  /**
   * A C-STORE sub-operation of a C-MOVE (PS3.7 9.3.1.1): as {@link #store}, naming the AE title and
   * message id of the C-MOVE it serves.
   */
  public DimseStatus store(
      String sopClassUid,
      String sopInstanceUid,
      String transferSyntaxUid,
      InputStream dataset,
      String moveOriginatorAeTitle,
      int moveOriginatorMessageId)
      throws IOException {
    int pcId = acceptedContext(sopClassUid, transferSyntaxUid);
    Command rq = Command.storeRq(nextMessageId++, sopClassUid, sopInstanceUid);
    rq.moveOriginatorAeTitle = moveOriginatorAeTitle;
    rq.moveOriginatorMessageId = moveOriginatorMessageId;
    Command rsp = invoke(pcId, rq, dataset);
    return DimseStatus.of(rsp.status, rsp.errorComment);
  }

  /** Whether a context for this abstract syntax in this transfer syntax was accepted. */
  public boolean accepts(String abstractSyntax, String transferSyntax) {
    try {
      acceptedContext(abstractSyntax, transferSyntax);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** The id of an accepted context for this abstract syntax (and transfer syntax, when given). */
  public int acceptedContext(String abstractSyntax, String transferSyntax) {
    for (PresentationContext answer : ac.presentationContexts()) {
      PresentationContext proposed = rq.context(answer.id());
      if (answer.accepted()
          && proposed != null
          && proposed.abstractSyntax().equals(abstractSyntax)
          && (transferSyntax == null || transferSyntax.equals(answer.transferSyntax()))) {
        return answer.id();
      }
    }
    throw new IllegalStateException(
        "no accepted presentation context for "
            + abstractSyntax
            + (transferSyntax == null ? "" : " in " + transferSyntax));
  }

  Command invoke(int pcId, Command command, InputStream dataset) throws IOException {
    try (PDataOutputStream cmd = new PDataOutputStream(out, pcId, true, maxSendData)) {
      cmd.write(CommandCodec.encode(command));
    }
    if (dataset != null) {
      try (PDataOutputStream data = new PDataOutputStream(out, pcId, false, maxSendData)) {
        dataset.transferTo(data);
      }
    }
    int type = in.next();
    if (type == Pdu.A_ABORT) {
      throw new PeerAbortException();
    }
    if (type != Pdu.P_DATA_TF) {
      throw new DicomProtocolException(
          REASON_UNEXPECTED_PDU,
          (type < 0 ? "connection closed" : Pdu.name(type)) + " instead of a DIMSE response");
    }
    Command rsp = CommandCodec.decode(in.readCommandSet(64 * 1024));
    if (rsp.messageIdBeingRespondedTo != command.messageId) {
      throw new DicomProtocolException(
          DicomProtocolException.REASON_UNEXPECTED_PDU_PARAMETER,
          "response to message "
              + rsp.messageIdBeingRespondedTo
              + ", expected "
              + command.messageId);
    }
    return rsp;
  }

  /** A-RELEASE-RQ, wait for A-RELEASE-RP, close. */
  public void release() throws IOException {
    try (socket) {
      out.write(PduCodec.encodeReleaseRq());
      int type = in.next();
      if (type != Pdu.A_RELEASE_RP) {
        throw new DicomProtocolException(
            REASON_UNEXPECTED_PDU,
            (type < 0 ? "connection closed" : Pdu.name(type)) + " instead of A-RELEASE-RP");
      }
    }
  }

  /** A-ABORT (service user), close. */
  public void abort() throws IOException {
    try (socket) {
      out.write(PduCodec.encodeAbort(0, 0));
    }
  }

  /** Releases if still open; aborts when release fails. */
  @Override
  public void close() throws IOException {
    if (!socket.isClosed()) {
      try {
        release();
      } catch (IOException e) {
        socket.close();
      }
    }
  }
}
