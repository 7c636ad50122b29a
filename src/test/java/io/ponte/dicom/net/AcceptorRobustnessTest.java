package io.ponte.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or broken peer gets: an abort or a close, never a hang, and the acceptor keeps
 * serving.
 */
class AcceptorRobustnessTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path tmp;
  RecordingStoreHandler handler;
  DicomServer server;

  @BeforeEach
  void start() throws Exception {
    handler = new RecordingStoreHandler(tmp);
    server = TestServers.start(config(8, Duration.ofSeconds(5)), handler);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static AcceptorConfig config(int maxAssociations, Duration idle) {
    AcceptorConfig b = TestServers.config(TestServers.ALL_TS);
    return new AcceptorConfig(
        b.aeTitle(),
        b.sopClasses(),
        b.transferSyntaxes(),
        Set.of(),
        b.maxPduLength(),
        maxAssociations,
        Duration.ofSeconds(1),
        idle);
  }

  private ClientAssociation open(DicomServer s) throws IOException {
    return ClientAssociation.open(
        "127.0.0.1",
        s.port(),
        "TESTSCU",
        TestServers.AE,
        List.of(
            PresentationContext.proposed(1, AcceptorConfig.VERIFICATION, TestServers.IMPLICIT_LE),
            PresentationContext.proposed(3, TestServers.CT, TestServers.EXPLICIT_LE)),
        65536,
        TIMEOUT);
  }

  private void assertStillServing() throws IOException {
    try (ClientAssociation a = open(server)) {
      assertThat(a.echo().isSuccess()).isTrue();
    }
  }

  /** Reads what the acceptor answers until it closes: the PDU bytes it sent, possibly none. */
  private static byte[] answerUntilClose(Socket s) throws IOException {
    s.setSoTimeout(5000);
    return s.getInputStream().readAllBytes();
  }

  private static Socket raw(DicomServer s) throws IOException {
    Socket socket = new Socket("127.0.0.1", s.port());
    socket.setTcpNoDelay(true);
    return socket;
  }

  /** Opens an association by hand, so the test can then misbehave on the raw socket. */
  private static Socket rawAssociation(DicomServer s) throws IOException {
    Socket socket = raw(s);
    socket
        .getOutputStream()
        .write(
            PduCodec.encodeAssociateRq(
                new AssociateRequest(
                    1,
                    TestServers.AE,
                    "RAW",
                    AssociateRequest.DICOM_APPLICATION_CONTEXT,
                    List.of(
                        PresentationContext.proposed(1, TestServers.CT, TestServers.EXPLICIT_LE)),
                    new UserInformation(65536, null, null))));
    DataInputStream in = new DataInputStream(socket.getInputStream());
    assertThat(in.readUnsignedByte()).isEqualTo(Pdu.A_ASSOCIATE_AC);
    in.readUnsignedByte();
    in.skipNBytes(in.readInt());
    return socket;
  }

  @Test
  void abortsWhenAnAssociatePduClaimsAnAbsurdLengthWithoutWaitingForIt() throws Exception {
    try (Socket s = raw(server)) {
      // 4 GiB announced, 0 sent: an acceptor that allocated or waited would hang or die here.
      s.getOutputStream()
          .write(
              new byte[] {
                Pdu.A_ASSOCIATE_RQ, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF
              });
      byte[] answer = answerUntilClose(s);
      assertThat(answer)
          .containsExactly(
              Pdu.A_ABORT,
              0,
              0,
              0,
              0,
              4,
              0,
              0,
              2,
              DicomProtocolException.REASON_INVALID_PDU_PARAMETER_VALUE);
    }
    assertStillServing();
  }

  @Test
  void abortsWhenAPDataPduExceedsTheAnnouncedMaximum() throws Exception {
    try (Socket s = rawAssociation(server)) {
      s.getOutputStream()
          .write(new byte[] {Pdu.P_DATA_TF, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
      byte[] answer = answerUntilClose(s);
      assertThat(answer).startsWith(Pdu.A_ABORT);
      assertThat(answer[9])
          .isEqualTo((byte) DicomProtocolException.REASON_INVALID_PDU_PARAMETER_VALUE);
    }
    assertStillServing();
  }

  @Test
  void abortsOnGarbageAndKeepsServingOthers() throws Exception {
    Random random = new Random(20261128L);
    for (int i = 0; i < 40; i++) {
      byte[] garbage = new byte[1 + random.nextInt(300)];
      random.nextBytes(garbage);
      try (Socket s = raw(server)) {
        s.getOutputStream().write(garbage);
        s.shutdownOutput();
        byte[] answer = answerUntilClose(s);
        // Either an A-ABORT, or (for a valid-looking but unfinished PDU) a plain close: never an
        // AC/RJ.
        if (answer.length > 0) {
          assertThat(answer[0])
              .as("case %d", i)
              .isIn((byte) Pdu.A_ABORT, (byte) Pdu.A_ASSOCIATE_RJ);
        }
      }
    }
    assertThat(handler.received()).isEmpty();
    assertStillServing();
  }

  @Test
  void abortsOnUnknownPduTypeWithReasonUnrecognizedPdu() throws Exception {
    try (Socket s = raw(server)) {
      s.getOutputStream().write(new byte[] {0x09, 0, 0, 0, 0, 4, 1, 2, 3, 4});
      byte[] answer = answerUntilClose(s);
      assertThat(answer)
          .containsExactly(
              Pdu.A_ABORT, 0, 0, 0, 0, 4, 0, 0, 2, DicomProtocolException.REASON_UNRECOGNIZED_PDU);
    }
  }

  @Test
  void closesATruncatedAssociateRequest() throws Exception {
    try (Socket s = raw(server)) {
      s.getOutputStream()
          .write(new byte[] {Pdu.A_ASSOCIATE_RQ, 0, 0, 0, 0, (byte) 200, 0, 1, 0, 0});
      s.shutdownOutput();
      answerUntilClose(s);
    }
    assertStillServing();
  }

  @Test
  void closesAConnectionThatSendsNothingWhenArtimExpires() throws Exception {
    try (Socket s = raw(server)) {
      long start = System.nanoTime();
      assertThat(answerUntilClose(s)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void rejectsTheAssociationBeyondTheConfiguredMaximumTransiently() throws Exception {
    try (DicomServer one = TestServers.start(config(1, Duration.ofSeconds(5)), handler)) {
      ClientAssociation first = open(one);
      assertThatThrownBy(() -> open(one))
          .isInstanceOfSatisfying(
              AssociationRejectedException.class,
              e -> {
                assertThat(e.reject().result()).isEqualTo(AssociateReject.TRANSIENT);
                assertThat(e.reject().source())
                    .isEqualTo(AssociateReject.SOURCE_PROVIDER_PRESENTATION);
                assertThat(e.reject().reason()).isEqualTo(AssociateReject.LOCAL_LIMIT_EXCEEDED);
              });
      first.release();
      try (ClientAssociation again = open(one)) {
        assertThat(again.echo().isSuccess()).isTrue();
      }
    }
  }

  @Test
  void abortsAnAssociationIdleLongerThanTheIdleTimeout() throws Exception {
    try (DicomServer impatient = TestServers.start(config(2, Duration.ofMillis(500)), handler)) {
      ClientAssociation a = open(impatient);
      Thread.sleep(1200);
      assertThatThrownBy(a::echo).isInstanceOf(IOException.class);
      a.close();
    }
  }

  @Test
  void answersUnsupportedPresentationContextsWithTheirReasons() throws Exception {
    try (ClientAssociation a =
        ClientAssociation.open(
            "127.0.0.1",
            server.port(),
            "TESTSCU",
            TestServers.AE,
            List.of(
                PresentationContext.proposed(
                    1, "1.2.840.10008.5.1.4.1.1.77.1.6", TestServers.EXPLICIT_LE),
                PresentationContext.proposed(3, TestServers.CT, "1.2.840.10008.1.2.4.100"),
                PresentationContext.proposed(
                    5,
                    TestServers.CT,
                    "1.2.840.10008.1.2.4.100",
                    TestServers.IMPLICIT_LE,
                    TestServers.EXPLICIT_LE)),
            16384,
            TIMEOUT)) {
      assertThat(a.accepted().context(1).result())
          .isEqualTo(PresentationContext.ABSTRACT_SYNTAX_NOT_SUPPORTED);
      assertThat(a.accepted().context(3).result())
          .isEqualTo(PresentationContext.TRANSFER_SYNTAXES_NOT_SUPPORTED);
      assertThat(a.accepted().context(5).result()).isEqualTo(PresentationContext.ACCEPTANCE);
      assertThat(a.accepted().context(5).transferSyntax()).isEqualTo(TestServers.EXPLICIT_LE);
      assertThat(a.accepted().userInformation().maxPduLength()).isEqualTo(65536);
    }
  }

  @Test
  void sendsTheHandlersStatusAndErrorComment() throws Exception {
    handler.answer(
        r ->
            DimseStatus.of(
                DimseStatus.DUPLICATE_WITH_DIFFERENT_CONTENT,
                "already stored with different content"));
    try (ClientAssociation a = open(server)) {
      DimseStatus status =
          a.store(
              TestServers.CT,
              "1.2.3.4",
              TestServers.EXPLICIT_LE,
              new java.io.ByteArrayInputStream(
                  new byte[] {
                    8, 0, 0x18, 0, 'U', 'I', 8, 0, '1', '.', '2', '.', '3', '.', '4', 0
                  }));
      assertThat(status.code()).isEqualTo(DimseStatus.DUPLICATE_WITH_DIFFERENT_CONTENT);
      assertThat(status.errorComment()).isEqualTo("already stored with different content");
    }
  }

  @Test
  void answersAHandlerFailureWithProcessingFailureAndKeepsTheAssociation() throws Exception {
    try (DicomServer failing =
            TestServers.start(
                config(2, Duration.ofSeconds(5)),
                (r, in) -> {
                  in.read(new byte[10]);
                  throw new IllegalStateException("boom");
                });
        ClientAssociation a = open(failing)) {
      DimseStatus status =
          a.store(
              TestServers.CT,
              "1.2.3",
              TestServers.EXPLICIT_LE,
              new java.io.ByteArrayInputStream(new byte[200_000]));
      assertThat(status.code()).isEqualTo(DimseStatus.PROCESSING_FAILURE);
      assertThat(a.echo().isSuccess()).as("the unread rest was drained").isTrue();
    }
  }

  @Test
  void answersAnUnknownCommandWithUnrecognizedOperation() throws Exception {
    try (ClientAssociation a = open(server)) {
      Command find = new Command();
      find.commandField = 0x0020; // C-FIND-RQ: not offered by this SCP
      find.messageId = 7;
      find.affectedSopClassUid = TestServers.CT;
      find.dataSetType = Command.DATA_SET_PRESENT;
      Command rsp =
          a.invoke(
              a.acceptedContext(TestServers.CT, null),
              find,
              new java.io.ByteArrayInputStream(new byte[64]));
      assertThat(rsp.status).isEqualTo(DimseStatus.UNRECOGNIZED_OPERATION);
      assertThat(rsp.commandField).isEqualTo(0x8020);
      assertThat(a.echo().isSuccess()).isTrue();
    }
  }

  @Test
  void aPeerAbortInsideADataSetReachesTheHandlerAsAnErrorAndStoresNothing() throws Exception {
    try (Socket s = rawAssociation(server)) {
      OutputStream out = s.getOutputStream();
      PduOutput pdus = new PduOutput(out);
      byte[] cmd = CommandCodec.encode(Command.storeRq(1, TestServers.CT, "1.2.3.9"));
      pdus.writePdv(1, Pdu.MCH_COMMAND | Pdu.MCH_LAST, cmd, 0, cmd.length);
      pdus.writePdv(1, 0, new byte[1000], 0, 1000);
      out.write(PduCodec.encodeAbort(0, 0));
      out.flush();
      assertThat(answerUntilClose(s)).isEmpty();
    }
    assertThat(handler.received()).isEmpty();
    assertStillServing();
  }

  @Test
  void abortsWhenACommandArrivesInsideADataSet() throws Exception {
    try (Socket s = rawAssociation(server)) {
      PduOutput pdus = new PduOutput(s.getOutputStream());
      byte[] cmd = CommandCodec.encode(Command.storeRq(1, TestServers.CT, "1.2.3.10"));
      pdus.writePdv(1, Pdu.MCH_COMMAND | Pdu.MCH_LAST, cmd, 0, cmd.length);
      pdus.writePdv(1, 0, new byte[100], 0, 100);
      pdus.writePdv(1, Pdu.MCH_COMMAND | Pdu.MCH_LAST, cmd, 0, cmd.length);
      byte[] answer = answerUntilClose(s);
      assertThat(answer).startsWith(Pdu.A_ABORT);
      assertThat(answer[9])
          .isEqualTo((byte) DicomProtocolException.REASON_UNEXPECTED_PDU_PARAMETER);
    }
    assertThat(handler.received()).isEmpty();
  }

  /**
   * The handler gets the first bytes while the SCU is still sending: the data set is streamed from
   * the socket, not collected first. 64 MiB cannot sit in the socket buffers, so a buffering
   * acceptor would only call the handler after the sender finished.
   */
  @Test
  void streamsTheDataSetToTheHandlerWhileItIsStillArriving() throws Exception {
    AtomicBoolean senderDone = new AtomicBoolean();
    CompletableFuture<Boolean> doneAtFirstByte = new CompletableFuture<>();
    long size = 64L * 1024 * 1024;
    try (DicomServer streaming =
            TestServers.start(
                config(2, Duration.ofSeconds(10)),
                (r, in) -> {
                  byte[] buf = new byte[65536];
                  long total = in.read(buf);
                  doneAtFirstByte.complete(senderDone.get());
                  int n;
                  while ((n = in.read(buf)) > 0) {
                    total += n;
                  }
                  return total == size
                      ? DimseStatus.OK
                      : DimseStatus.of(DimseStatus.CANNOT_UNDERSTAND, "got " + total);
                });
        ClientAssociation a = open(streaming)) {
      DimseStatus status =
          a.store(
              TestServers.CT,
              "1.2.3.11",
              TestServers.EXPLICIT_LE,
              new InputStream() {
                long left = size;

                @Override
                public int read() {
                  throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                  if (left == 0) {
                    senderDone.set(true);
                    return -1;
                  }
                  int n = (int) Math.min(len, left);
                  left -= n;
                  return n;
                }
              });
      assertThat(status.isSuccess()).as(status.toString()).isTrue();
      assertThat(doneAtFirstByte.get(1, TimeUnit.SECONDS))
          .as("sender had finished before the handler read")
          .isFalse();
    }
  }
}
