package io.ponte.dicom.net;

import static io.ponte.dicom.net.DicomProtocolException.REASON_UNEXPECTED_PDU;

import io.ponte.dicom.Attributes;
import io.ponte.dicom.DicomInputStream;
import io.ponte.dicom.DicomOutputStream;
import io.ponte.dicom.DicomReadLimits;
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
 * an InputStream, C-FIND, C-GET (receiving its C-STORE sub-operations on this association, each
 * data set handed over as a stream) and C-MOVE, release or abort. Used for checks against peers
 * (C-ECHO of a PACS), {@code ponte migrate} from a PACS, tests and benchmarks. One operation at a
 * time; not thread-safe.
 */
public final class ClientAssociation implements Closeable {

  private static final int MAX_ASSOCIATE_PDU_LENGTH = 256 * 1024;

  /** A C-FIND identifier is a handful of keys; a match larger than this is not one we use. */
  private static final int MAX_IDENTIFIER = 1024 * 1024;

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
    return open(
        host, port, callingAeTitle, calledAeTitle, proposed, List.of(), maxPduLength, timeout);
  }

  /**
   * As {@link #open(String, int, String, String, List, int, Duration)}, proposing SCP/SCU role
   * selections (a C-GET SCU asks for the SCP role of the storage classes it will receive).
   */
  public static ClientAssociation open(
      String host,
      int port,
      String callingAeTitle,
      String calledAeTitle,
      List<PresentationContext> proposed,
      List<RoleSelection> roles,
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
                  AcceptorConfig.IMPLEMENTATION_VERSION_NAME,
                  roles));
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

  /** Receives each C-FIND match. */
  @FunctionalInterface
  public interface MatchConsumer {
    void accept(Attributes match) throws IOException;
  }

  /**
   * Receives the instances of a C-GET: the data set (in {@code transferSyntaxUid}, no file meta) is
   * read straight from the association; what is left unread is drained. The status returned is the
   * sub-operation's C-STORE-RSP.
   */
  @FunctionalInterface
  public interface InstanceReceiver {
    DimseStatus receive(
        String sopClassUid, String sopInstanceUid, String transferSyntaxUid, InputStream dataset)
        throws IOException;
  }

  /** The final response of a C-GET or C-MOVE: its status and sub-operation counts. */
  public record RetrieveResult(DimseStatus status, int completed, int failed, int warning) {}

  /**
   * C-FIND with {@code identifier} on the model {@code sopClassUid}: each pending response's
   * identifier goes to {@code matches}; returns the final status.
   */
  public DimseStatus find(String sopClassUid, Attributes identifier, MatchConsumer matches)
      throws IOException {
    int pcId = acceptedContext(sopClassUid, null);
    Command rq = request(Command.C_FIND_RQ, sopClassUid);
    sendRequest(pcId, rq, identifier);
    String ts = ac.context(pcId).transferSyntax();
    while (true) {
      Command rsp = nextResponse(rq, Command.C_FIND_RSP);
      Attributes match = null;
      if (rsp.hasDataSet()) {
        PDataInputStream data = new PDataInputStream(in, in.pcId());
        match =
            DicomInputStream.ofDataset(
                    data, ts, new DicomReadLimits(MAX_IDENTIFIER, MAX_IDENTIFIER))
                .readDataset();
        data.drain();
      }
      DimseStatus status = DimseStatus.of(rsp.status, rsp.errorComment);
      if (!status.isPending()) {
        return status;
      }
      if (match != null) {
        matches.accept(match);
      }
    }
  }

  /**
   * C-GET with {@code identifier} on the model {@code sopClassUid}: the SCP's C-STORE
   * sub-operations arrive on this association (on the storage contexts proposed with the SCP role)
   * and go to {@code receiver}; returns the final response.
   */
  public RetrieveResult get(String sopClassUid, Attributes identifier, InstanceReceiver receiver)
      throws IOException {
    int pcId = acceptedContext(sopClassUid, null);
    Command rq = request(Command.C_GET_RQ, sopClassUid);
    sendRequest(pcId, rq, identifier);
    while (true) {
      Command c = nextCommand();
      if (c.commandField == Command.C_STORE_RQ) {
        serveStore(c, receiver);
        continue;
      }
      if (c.commandField != Command.C_GET_RSP || c.messageIdBeingRespondedTo != rq.messageId) {
        throw new DicomProtocolException(
            DicomProtocolException.REASON_UNEXPECTED_PDU_PARAMETER, "unexpected " + c);
      }
      if (c.hasDataSet()) {
        new PDataInputStream(in, in.pcId()).drain();
      }
      DimseStatus status = DimseStatus.of(c.status, c.errorComment);
      if (!status.isPending()) {
        return result(status, c);
      }
    }
  }

  /**
   * C-MOVE with {@code identifier} to {@code destination} (an AE title the SCP knows); the
   * instances go to that AE's own Storage SCP. Returns the final response.
   */
  public RetrieveResult move(String sopClassUid, String destination, Attributes identifier)
      throws IOException {
    int pcId = acceptedContext(sopClassUid, null);
    Command rq = request(Command.C_MOVE_RQ, sopClassUid);
    rq.moveDestination = destination;
    sendRequest(pcId, rq, identifier);
    while (true) {
      Command rsp = nextResponse(rq, Command.C_MOVE_RSP);
      if (rsp.hasDataSet()) {
        new PDataInputStream(in, in.pcId()).drain();
      }
      DimseStatus status = DimseStatus.of(rsp.status, rsp.errorComment);
      if (!status.isPending()) {
        return result(status, rsp);
      }
    }
  }

  private static RetrieveResult result(DimseStatus status, Command rsp) {
    return new RetrieveResult(
        status,
        Math.max(0, rsp.completedSuboperations),
        Math.max(0, rsp.failedSuboperations),
        Math.max(0, rsp.warningSuboperations));
  }

  private Command request(int field, String sopClassUid) {
    Command c = new Command();
    c.commandField = field;
    c.messageId = nextMessageId++;
    c.priority = 0;
    c.affectedSopClassUid = sopClassUid;
    c.dataSetType = Command.DATA_SET_PRESENT;
    return c;
  }

  private void sendRequest(int pcId, Command rq, Attributes identifier) throws IOException {
    try (PDataOutputStream cmd = new PDataOutputStream(out, pcId, true, maxSendData)) {
      cmd.write(CommandCodec.encode(rq));
    }
    try (PDataOutputStream data = new PDataOutputStream(out, pcId, false, maxSendData);
        DicomOutputStream dos = new DicomOutputStream(data)) {
      dos.writeDataset(identifier, ac.context(pcId).transferSyntax());
    }
  }

  /** The next command on the association (a response, or a C-STORE-RQ of a C-GET). */
  private Command nextCommand() throws IOException {
    int type = in.next();
    if (type == Pdu.A_ABORT) {
      throw new PeerAbortException();
    }
    if (type != Pdu.P_DATA_TF) {
      throw new DicomProtocolException(
          REASON_UNEXPECTED_PDU,
          (type < 0 ? "connection closed" : Pdu.name(type)) + " instead of a DIMSE message");
    }
    return CommandCodec.decode(in.readCommandSet(64 * 1024));
  }

  private Command nextResponse(Command rq, int field) throws IOException {
    Command rsp = nextCommand();
    if (rsp.commandField != field || rsp.messageIdBeingRespondedTo != rq.messageId) {
      throw new DicomProtocolException(
          DicomProtocolException.REASON_UNEXPECTED_PDU_PARAMETER,
          "unexpected " + rsp + " in answer to " + rq);
    }
    return rsp;
  }

  /** One C-STORE sub-operation of a C-GET: hand the data set over, answer its status. */
  private void serveStore(Command rq, InstanceReceiver receiver) throws IOException {
    int pcId = in.pcId();
    PresentationContext pc = ac.context(pcId);
    if (pc == null || !pc.accepted() || !rq.hasDataSet()) {
      throw new DicomProtocolException(
          DicomProtocolException.REASON_UNEXPECTED_PDU_PARAMETER,
          "C-STORE-RQ on context " + pcId + ", which was not accepted, or without a data set");
    }
    PresentationContext proposed = rq.affectedSopClassUid == null ? null : this.rq.context(pcId);
    PDataInputStream data = new PDataInputStream(in, pcId);
    DimseStatus status;
    if (proposed == null || !proposed.abstractSyntax().equals(rq.affectedSopClassUid)) {
      status =
          DimseStatus.of(
              DimseStatus.SOP_CLASS_NOT_SUPPORTED,
              "SOP class differs from the presentation context's abstract syntax");
    } else {
      try {
        status =
            receiver.receive(
                rq.affectedSopClassUid, rq.affectedSopInstanceUid, pc.transferSyntax(), data);
      } catch (IOException e) {
        if (data.failure() != null) {
          throw data.failure();
        }
        status = DimseStatus.of(DimseStatus.PROCESSING_FAILURE, "not kept: " + e.getMessage());
      }
    }
    data.drain();
    Command rsp = Command.responseTo(rq, status);
    try (PDataOutputStream cmd = new PDataOutputStream(out, pcId, true, maxSendData)) {
      cmd.write(CommandCodec.encode(rsp));
    }
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
