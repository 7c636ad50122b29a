package io.ponte.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PduCodecTest {

  private static final AssociateRequest RQ =
      new AssociateRequest(
          1,
          "PONTE",
          "MODALITY",
          AssociateRequest.DICOM_APPLICATION_CONTEXT,
          List.of(
              PresentationContext.proposed(1, AcceptorConfig.VERIFICATION, TestServers.IMPLICIT_LE),
              PresentationContext.proposed(
                  3, TestServers.CT, TestServers.EXPLICIT_LE, TestServers.IMPLICIT_LE)),
          new UserInformation(16384, "1.2.3.4", "TEST_1"));

  private static byte[] body(byte[] pdu) {
    return Arrays.copyOfRange(pdu, Pdu.HEADER_LENGTH, pdu.length);
  }

  @Test
  void associateRequestSurvivesARoundTrip() throws Exception {
    byte[] pdu = PduCodec.encodeAssociateRq(RQ);
    assertThat(pdu[0]).isEqualTo((byte) Pdu.A_ASSOCIATE_RQ);
    assertThat(PduCodec.decodeAssociate(Pdu.A_ASSOCIATE_RQ, body(pdu))).isEqualTo(RQ);
  }

  @Test
  void associateAcceptCarriesResultsAndOneTransferSyntaxEach() throws Exception {
    AssociateRequest ac =
        new AssociationNegotiator(TestServers.config(TestServers.ALL_TS)).accept(RQ);
    AssociateRequest decoded =
        PduCodec.decodeAssociate(Pdu.A_ASSOCIATE_AC, body(PduCodec.encodeAssociateAc(ac)));
    assertThat(decoded.context(3).result()).isEqualTo(PresentationContext.ACCEPTANCE);
    assertThat(decoded.context(3).transferSyntaxes()).containsExactly(TestServers.EXPLICIT_LE);
    assertThat(decoded.userInformation().maxPduLength()).isEqualTo(65536);
  }

  /**
   * A C-GET SCU proposes the SCP role for the storage classes it receives (PS3.7 D.3.3.4): an
   * acceptor that serves C-GET accepts those contexts and answers the role, one that does not
   * leaves them unsupported.
   */
  @Test
  void roleSelectionSurvivesARoundTripAndIsAnsweredOnlyByARetrieveProvider() throws Exception {
    AssociateRequest get =
        new AssociateRequest(
            1,
            "PONTE",
            "WORKSTATION",
            AssociateRequest.DICOM_APPLICATION_CONTEXT,
            List.of(PresentationContext.proposed(1, TestServers.CT, TestServers.IMPLICIT_LE)),
            new UserInformation(
                16384,
                "1.2.3.4",
                "TEST_1",
                List.of(new RoleSelection(TestServers.CT, false, true))));
    AssociateRequest decoded =
        PduCodec.decodeAssociate(Pdu.A_ASSOCIATE_RQ, body(PduCodec.encodeAssociateRq(get)));
    assertThat(decoded).isEqualTo(get);

    AcceptorConfig storageScp = TestServers.config(TestServers.ALL_TS);
    AcceptorConfig retrieveScp =
        new AcceptorConfig(
                "PONTE",
                java.util.Set.of(),
                storageScp.transferSyntaxes(),
                java.util.Set.of(),
                storageScp.maxPduLength(),
                1,
                storageScp.requestTimeout(),
                storageScp.idleTimeout())
            .withStorageScpRole(true);
    AssociateRequest ac =
        PduCodec.decodeAssociate(
            Pdu.A_ASSOCIATE_AC,
            body(PduCodec.encodeAssociateAc(new AssociationNegotiator(retrieveScp).accept(get))));
    assertThat(ac.context(1).accepted()).isTrue();
    assertThat(ac.userInformation().roleSelections())
        .containsExactly(new RoleSelection(TestServers.CT, false, true));
    AssociateRequest plain =
        new AssociationNegotiator(retrieveScp.withStorageScpRole(false)).accept(get);
    assertThat(plain.context(1).accepted()).isFalse();
    assertThat(plain.userInformation().roleSelections()).isEmpty();
  }

  @Test
  void rejectNamesResultSourceAndReason() throws Exception {
    byte[] pdu = PduCodec.encodeAssociateRj(new AssociateReject(1, 1, 7));
    assertThat(pdu).containsExactly(3, 0, 0, 0, 0, 4, 0, 1, 1, 7);
    assertThat(PduCodec.decodeAssociateRj(body(pdu))).isEqualTo(new AssociateReject(1, 1, 7));
  }

  @Test
  void refusesAnItemLongerThanWhatIsLeft() {
    byte[] b = body(PduCodec.encodeAssociateRq(RQ));
    b[68 + 2] = (byte) 0xFF; // application context item length
    assertThatThrownBy(() -> PduCodec.decodeAssociate(Pdu.A_ASSOCIATE_RQ, b))
        .isInstanceOf(DicomProtocolException.class);
  }

  @Test
  void refusesARequestWithoutUserInformation() {
    AssociateRequest noContexts =
        new AssociateRequest(
            1,
            "A",
            "B",
            AssociateRequest.DICOM_APPLICATION_CONTEXT,
            List.of(),
            new UserInformation(0, null, null));
    byte[] b = body(PduCodec.encodeAssociateRq(noContexts));
    byte[] cut = Arrays.copyOf(b, b.length - 12); // drop the user information item (4 + 8)
    assertThatThrownBy(() -> PduCodec.decodeAssociate(Pdu.A_ASSOCIATE_RQ, cut))
        .isInstanceOf(DicomProtocolException.class)
        .hasMessageContaining("user information");
  }

  /**
   * Seeded mutation fuzz: a damaged request is decoded or refused as a protocol error, nothing
   * else.
   */
  @Test
  void damagedRequestsFailOnlyAsProtocolErrors() {
    byte[] valid = body(PduCodec.encodeAssociateRq(RQ));
    Random random = new Random(42);
    for (int i = 0; i < 5000; i++) {
      byte[] b =
          random.nextInt(4) == 0
              ? Arrays.copyOf(valid, random.nextInt(valid.length))
              : valid.clone();
      for (int m = 1 + random.nextInt(4); m > 0 && b.length > 0; m--) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      try {
        PduCodec.decodeAssociate(Pdu.A_ASSOCIATE_RQ, b);
      } catch (DicomProtocolException expected) {
        // fine: refused with a reason
      } catch (RuntimeException e) {
        throw new AssertionError("case " + i + " escaped as " + e, e);
      }
    }
  }
}
