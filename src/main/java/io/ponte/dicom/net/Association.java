package io.ponte.dicom.net;

import static io.ponte.dicom.net.DicomProtocolException.REASON_UNEXPECTED_PDU;
import static io.ponte.dicom.net.DicomProtocolException.REASON_UNEXPECTED_PDU_PARAMETER;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One accepted connection, driven through the acceptor side of the PS3.8 state machine on its own
 * thread: Sta2 (await A-ASSOCIATE-RQ, under ARTIM) -> reject, or accept -> Sta6 (data transfer,
 * under the idle timeout) -> release (A-RELEASE-RP, then await close under ARTIM) or abort. Any
 * protocol error aborts with an A-ABORT naming the provider reason; a timeout aborts too. DIMSE
 * messages are served one at a time (no asynchronous operations window is negotiated).
 */
final class Association implements Runnable {

  private static final Logger LOG = Logger.getLogger(Association.class.getName());

  /** A command set is a handful of elements; anything larger than this is not a command we know. */
  private static final int MAX_COMMAND_LENGTH = 64 * 1024;

  private static final int MAX_ASSOCIATE_PDU_LENGTH = 256 * 1024;

  /** We never send PDVs larger than this, even to a peer that announces "unlimited" (0). */
  private static final int MAX_SEND_PDU_LENGTH = 1024 * 1024;

  private final Socket socket;
  private final AcceptorConfig config;
  private final AssociationNegotiator negotiator;
  private final StoreHandler storeHandler;
  private final QueryRetrieveHandler queryRetrieveHandler;
  private final AssociationMonitor monitor;
  private final Semaphore associationSlots;
  private boolean slotReleased;
  private final String remote;
  private PduInput in;
  private PduOutput out;
  private AssociateRequest rq;
  private AssociateRequest ac;
  private int maxSendData;

  Association(
      Socket socket,
      AcceptorConfig config,
      StoreHandler storeHandler,
      QueryRetrieveHandler queryRetrieveHandler,
      AssociationMonitor monitor,
      Semaphore associationSlots) {
    this.socket = socket;
    this.config = config;
    this.negotiator = new AssociationNegotiator(config);
    this.storeHandler = storeHandler;
    this.queryRetrieveHandler = queryRetrieveHandler;
    this.monitor = monitor;
    this.associationSlots = associationSlots;
    this.remote = socket.getInetAddress().getHostAddress();
  }

  @Override
  public void run() {
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(millis(config.requestTimeout()));
      in =
          new PduInput(
              new BufferedInputStream(socket.getInputStream(), 64 * 1024),
              config.maxPduLength(),
              MAX_ASSOCIATE_PDU_LENGTH);
      out = new PduOutput(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
      try {
        negotiateAndServe();
      } catch (DicomProtocolException e) {
        abort(e.abortReason(), e.getMessage());
      } catch (SocketTimeoutException e) {
        if (rq == null) {
          // PS3.8 AA-2: ARTIM expired in Sta2, just close the transport.
          monitor.aborted(remote, "no A-ASSOCIATE-RQ within the request timeout");
        } else {
          abort(DicomProtocolException.REASON_NOT_SPECIFIED, "idle timeout");
        }
      } catch (PeerAbortException e) {
        monitor.aborted(remote, "A-ABORT from peer");
      }
    } catch (IOException e) {
      monitor.aborted(remote, "transport: " + e.getMessage());
      LOG.log(Level.FINE, "association with " + remote + " ended", e);
    }
  }

  private void negotiateAndServe() throws IOException {
    int type = in.next();
    if (type < 0) {
      return; // connected and left: a port probe, not an association
    }
    if (type != Pdu.A_ASSOCIATE_RQ) {
      throw new DicomProtocolException(
          REASON_UNEXPECTED_PDU, Pdu.name(type) + " instead of A-ASSOCIATE-RQ");
    }
    rq = PduCodec.decodeAssociate(type, in.body());
    AssociateReject rj = negotiator.reject(rq, socket.getInetAddress());
    if (rj == null && !associationSlots.tryAcquire()) {
      rj =
          new AssociateReject(
              AssociateReject.TRANSIENT,
              AssociateReject.SOURCE_PROVIDER_PRESENTATION,
              AssociateReject.LOCAL_LIMIT_EXCEEDED);
    }
    if (rj != null) {
      out.write(PduCodec.encodeAssociateRj(rj));
      monitor.rejected(rq, rj, remote);
      awaitClose();
      return;
    }
    try {
      ac = negotiator.accept(rq);
      long peerMax = rq.userInformation().maxPduLength();
      long sendPdu = peerMax == 0 ? MAX_SEND_PDU_LENGTH : Math.min(peerMax, MAX_SEND_PDU_LENGTH);
      maxSendData = (int) Math.max(1, sendPdu - Pdu.PDV_HEADER_LENGTH);
      out.write(PduCodec.encodeAssociateAc(ac));
      monitor.accepted(rq, remote);
      socket.setSoTimeout(millis(config.idleTimeout()));
      serve();
    } finally {
      releaseSlot();
    }
  }

  /**
   * Gives the association's slot back once: at A-RELEASE-RQ, before the reply, because a peer that
   * has its A-RELEASE-RP may open the next association at once, while this thread still waits for
   * the close.
   */
  private void releaseSlot() {
    if (!slotReleased) {
      slotReleased = true;
      associationSlots.release();
    }
  }

  private void serve() throws IOException {
    while (true) {
      int type = in.next();
      switch (type) {
        case -1:
          monitor.aborted(remote, "connection closed without release");
          return;
        case Pdu.P_DATA_TF:
          handleMessage();
          break;
        case Pdu.A_RELEASE_RQ:
          releaseSlot();
          out.write(PduCodec.encodeReleaseRp());
          monitor.released(remote);
          awaitClose();
          return;
        case Pdu.A_ABORT:
          throw new PeerAbortException();
        default:
          throw new DicomProtocolException(
              REASON_UNEXPECTED_PDU, Pdu.name(type) + " during data transfer");
      }
    }
  }

  private void handleMessage() throws IOException {
    int pcId = in.pcId();
    PresentationContext pc = ac.context(pcId);
    if (pc == null || !pc.accepted()) {
      throw new DicomProtocolException(
          REASON_UNEXPECTED_PDU_PARAMETER,
          "PDV on presentation context " + pcId + ", which was not accepted");
    }
    Command rqCommand = CommandCodec.decode(in.readCommandSet(MAX_COMMAND_LENGTH));
    if (rqCommand.isResponse()) {
      throw new DicomProtocolException(
          REASON_UNEXPECTED_PDU_PARAMETER, "unexpected DIMSE response " + rqCommand);
    }
    PDataInputStream dataset = rqCommand.hasDataSet() ? new PDataInputStream(in, pcId) : null;
    DimseStatus status;
    switch (rqCommand.commandField) {
      case Command.C_CANCEL_RQ:
        // PS3.7 9.3.2.3: a cancel of an operation already answered needs no response.
        if (dataset != null) {
          dataset.drain();
        }
        return;
      case Command.C_ECHO_RQ:
        status = DimseStatus.OK;
        break;
      case Command.C_STORE_RQ:
        status =
            storeHandler == null
                ? DimseStatus.of(DimseStatus.SOP_CLASS_NOT_SUPPORTED, "storage is not offered")
                : store(rqCommand, pc, dataset);
        break;
      case Command.C_FIND_RQ:
      case Command.C_GET_RQ:
      case Command.C_MOVE_RQ:
        if (queryRetrieveHandler != null) {
          new QueryRetrieveExchange(rqCommand, pc, pcId).run(dataset);
          return;
        }
        status =
            DimseStatus.of(
                DimseStatus.UNRECOGNIZED_OPERATION, "query/retrieve is not offered here");
        break;
      default:
        status =
            DimseStatus.of(
                DimseStatus.UNRECOGNIZED_OPERATION,
                String.format("command 0x%04X is not supported", rqCommand.commandField));
    }
    if (dataset != null) {
      dataset.drain();
    }
    sendCommand(pcId, Command.responseTo(rqCommand, status));
  }

  private DimseStatus store(Command command, PresentationContext pc, PDataInputStream dataset)
      throws IOException {
    if (dataset == null) {
      return DimseStatus.of(DimseStatus.CANNOT_UNDERSTAND, "C-STORE-RQ without a data set");
    }
    if (command.affectedSopClassUid == null || command.affectedSopInstanceUid == null) {
      return DimseStatus.of(
          DimseStatus.CANNOT_UNDERSTAND, "C-STORE-RQ without affected SOP class/instance");
    }
    if (!command.affectedSopClassUid.equals(pc.abstractSyntax())) {
      // PS3.7 9.3.1.1: the SOP class must be the abstract syntax of the context it travels on.
      return DimseStatus.of(
          DimseStatus.SOP_CLASS_NOT_SUPPORTED,
          "SOP class differs from the presentation context's abstract syntax");
    }
    StoreRequest request =
        new StoreRequest(
            rq.callingAeTitle(),
            rq.calledAeTitle(),
            remote,
            command.affectedSopClassUid,
            command.affectedSopInstanceUid,
            pc.transferSyntax(),
            command.messageId,
            command.priority,
            command.moveOriginatorAeTitle);
    DimseStatus status;
    try {
      status = storeHandler.store(request, dataset);
    } catch (Exception e) {
      if (dataset.failure() != null) {
        throw dataset.failure();
      }
      LOG.log(Level.WARNING, "C-STORE handler failed for " + command.affectedSopInstanceUid, e);
      status = DimseStatus.of(DimseStatus.PROCESSING_FAILURE, "processing failure");
    }
    if (dataset.failure() != null) {
      throw dataset.failure();
    }
    return status == null ? DimseStatus.of(DimseStatus.PROCESSING_FAILURE, "no status") : status;
  }

  /**
   * One C-FIND/C-GET/C-MOVE, from its identifier to its final response, with the handler's pending
   * responses and (C-GET) sub-operations in between, all on this thread.
   */
  private final class QueryRetrieveExchange implements QueryRetrieveHandler.Responder {
    private final Command rqCommand;
    private final PresentationContext pc;
    private final int pcId;
    private boolean cancelled;
    private int remaining = -1;
    private int completed = -1;
    private int failed = -1;
    private int warning = -1;

    QueryRetrieveExchange(Command rqCommand, PresentationContext pc, int pcId) {
      this.rqCommand = rqCommand;
      this.pc = pc;
      this.pcId = pcId;
    }

    void run(PDataInputStream dataset) throws IOException {
      DimseStatus status;
      io.ponte.dicom.Attributes identifier = null;
      if (dataset == null) {
        status =
            DimseStatus.of(
                DimseStatus.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "request without an identifier");
      } else if (!pc.abstractSyntax().equals(rqCommand.affectedSopClassUid)) {
        dataset.drain();
        status =
            DimseStatus.of(
                DimseStatus.SOP_CLASS_NOT_SUPPORTED,
                "SOP class differs from the presentation context's abstract syntax");
      } else {
        try {
          identifier =
              io.ponte.dicom.DicomInputStream.ofDataset(
                      dataset,
                      pc.transferSyntax(),
                      new io.ponte.dicom.DicomReadLimits(MAX_COMMAND_LENGTH, MAX_COMMAND_LENGTH))
                  .readDataset();
          status = null;
        } catch (IOException | RuntimeException e) {
          if (dataset.failure() != null) {
            throw dataset.failure();
          }
          status = DimseStatus.of(DimseStatus.UNABLE_TO_PROCESS, "identifier does not parse");
        }
        dataset.drain();
      }
      if (status == null) {
        QueryRetrieveRequest request =
            new QueryRetrieveRequest(
                rq.callingAeTitle(),
                rq.calledAeTitle(),
                remote,
                rqCommand.commandField,
                rqCommand.affectedSopClassUid,
                rqCommand.messageId,
                rqCommand.priority,
                rqCommand.moveDestination);
        try {
          status = queryRetrieveHandler.serve(request, identifier, this);
        } catch (DicomProtocolException | PeerAbortException e) {
          throw e;
        } catch (Exception e) {
          if (socket.isClosed()) {
            throw e instanceof IOException io ? io : new IOException(e);
          }
          LOG.log(Level.WARNING, "query/retrieve handler failed", e);
          status = DimseStatus.of(DimseStatus.UNABLE_TO_PROCESS, "unable to process");
        }
        if (status == null) {
          status = DimseStatus.of(DimseStatus.UNABLE_TO_PROCESS, "no status");
        }
      }
      Command rsp = Command.responseTo(rqCommand, status);
      if (rqCommand.commandField != Command.C_FIND_RQ) {
        // PS3.4 C.4.2.1.5/C.4.3.1.4: the final response carries the counts, remaining only when
        // the operation was cancelled.
        rsp.remainingSuboperations = status.code() == DimseStatus.CANCEL ? remaining : -1;
        rsp.completedSuboperations = Math.max(0, completed);
        rsp.failedSuboperations = Math.max(0, failed);
        rsp.warningSuboperations = Math.max(0, warning);
      }
      sendCommand(pcId, rsp);
    }

    @Override
    public void match(io.ponte.dicom.Attributes identifier) throws IOException {
      Command rsp = Command.responseTo(rqCommand, DimseStatus.of(DimseStatus.PENDING, null));
      rsp.dataSetType = Command.DATA_SET_PRESENT;
      sendCommand(pcId, rsp);
      try (PDataOutputStream data = new PDataOutputStream(out, pcId, false, maxSendData);
          io.ponte.dicom.DicomOutputStream dos = new io.ponte.dicom.DicomOutputStream(data)) {
        dos.writeDataset(identifier, pc.transferSyntax());
      }
    }

    @Override
    public void progress(int remaining, int completed, int failed, int warning) throws IOException {
      this.remaining = remaining;
      this.completed = completed;
      this.failed = failed;
      this.warning = warning;
      Command rsp = Command.responseTo(rqCommand, DimseStatus.of(DimseStatus.PENDING, null));
      rsp.remainingSuboperations = remaining;
      rsp.completedSuboperations = completed;
      rsp.failedSuboperations = failed;
      rsp.warningSuboperations = warning;
      sendCommand(pcId, rsp);
    }

    @Override
    public boolean cancelled() throws IOException {
      while (!cancelled && in.hasPendingInput()) {
        readDuringOperation(-1);
      }
      return cancelled;
    }

    /**
     * Reads one PDU arriving while the operation runs: a C-CANCEL-RQ for it, or (when {@code
     * awaitedMessageId} is not -1) the C-STORE-RSP of a sub-operation, which is returned.
     */
    private Command readDuringOperation(int awaitedMessageId) throws IOException {
      int type = in.next();
      if (type == Pdu.A_ABORT) {
        throw new PeerAbortException();
      }
      if (type != Pdu.P_DATA_TF) {
        throw new DicomProtocolException(
            REASON_UNEXPECTED_PDU,
            (type < 0 ? "connection closed" : Pdu.name(type)) + " during a retrieve or query");
      }
      int onContext = in.pcId();
      Command c = CommandCodec.decode(in.readCommandSet(MAX_COMMAND_LENGTH));
      if (c.hasDataSet()) {
        new PDataInputStream(in, onContext).drain();
      }
      if (c.commandField == Command.C_CANCEL_RQ
          && c.messageIdBeingRespondedTo == rqCommand.messageId) {
        cancelled = true;
        return null;
      }
      if (awaitedMessageId >= 0
          && c.commandField == Command.C_STORE_RSP
          && c.messageIdBeingRespondedTo == awaitedMessageId) {
        return c;
      }
      throw new DicomProtocolException(
          REASON_UNEXPECTED_PDU_PARAMETER, "unexpected " + c + " during a retrieve or query");
    }

    @Override
    public String storeTransferSyntax(String sopClassUid, String storedTransferSyntax) {
      return storeContext(sopClassUid, storedTransferSyntax) == null ? null : storedTransferSyntax;
    }

    private PresentationContext storeContext(String sopClassUid, String transferSyntax) {
      for (PresentationContext answer : ac.presentationContexts()) {
        if (answer.accepted()
            && sopClassUid.equals(answer.abstractSyntax())
            && transferSyntax.equals(answer.transferSyntax())
            && rq.userInformation().roleSelection(sopClassUid) != null) {
          return answer;
        }
      }
      return null;
    }

    @Override
    public DimseStatus store(
        String sopClassUid,
        String sopInstanceUid,
        String transferSyntaxUid,
        java.io.InputStream dataset)
        throws IOException {
      PresentationContext storage = storeContext(sopClassUid, transferSyntaxUid);
      if (storage == null) {
        throw new IllegalStateException("no storage context for " + sopClassUid);
      }
      int messageId = nextSubOperationId++;
      Command store = Command.storeRq(messageId, sopClassUid, sopInstanceUid);
      store.priority = Math.max(0, rqCommand.priority);
      sendCommand(storage.id(), store);
      try (PDataOutputStream data = new PDataOutputStream(out, storage.id(), false, maxSendData)) {
        dataset.transferTo(data);
      }
      Command rsp;
      do {
        rsp = readDuringOperation(messageId);
      } while (rsp == null);
      return DimseStatus.of(rsp.status, rsp.errorComment);
    }
  }

  private int nextSubOperationId = 1;

  private void sendCommand(int pcId, Command command) throws IOException {
    try (PDataOutputStream cmd = new PDataOutputStream(out, pcId, true, maxSendData)) {
      cmd.write(CommandCodec.encode(command));
    }
  }

  private void abort(int reason, String why) {
    monitor.aborted(remote, why);
    LOG.info(() -> "aborting association with " + remote + ": " + why);
    try {
      out.write(PduCodec.encodeAbort(2, reason));
    } catch (IOException | RuntimeException ignored) {
      // the peer may be gone already; the socket is closed next either way
    }
  }

  /** Sta13: the requestor closes the transport; ARTIM bounds how long we wait for it. */
  private void awaitClose() throws IOException {
    socket.setSoTimeout(millis(config.requestTimeout()));
    try {
      while (socket.getInputStream().read() >= 0) {
        // nothing further is expected; discard
      }
    } catch (SocketTimeoutException e) {
      // ARTIM expired: close from our side
    }
  }

  private static int millis(java.time.Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }
}
