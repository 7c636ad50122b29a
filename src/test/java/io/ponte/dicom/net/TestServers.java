package io.ponte.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Acceptors for tests: loopback, a free port, short timeouts. */
final class TestServers {

  static final String AE = "PONTE";
  static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  static final String MR = "1.2.840.10008.5.1.4.1.1.4";
  static final String US = "1.2.840.10008.5.1.4.1.1.6.1";
  static final String SC = "1.2.840.10008.5.1.4.1.1.7";
  static final String SEG = "1.2.840.10008.5.1.4.1.1.66.4";
  static final String BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11";
  static final String RT_PLAN = "1.2.840.10008.5.1.4.1.1.481.5";
  static final String RT_ION_PLAN = "1.2.840.10008.5.1.4.1.1.481.8";
  static final Set<String> SOP_CLASSES =
      Set.of(CT, MR, US, SC, SEG, BASIC_TEXT_SR, RT_PLAN, RT_ION_PLAN);

  static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  static final String DEFLATED = "1.2.840.10008.1.2.1.99";
  static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
  static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
  static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
  static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
  static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
  static final String JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";
  static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
  static final String JPEG_2000 = "1.2.840.10008.1.2.4.91";
  static final String RLE = "1.2.840.10008.1.2.5";

  /** The node's default preference: keep compressed data compressed, explicit before implicit. */
  static final List<String> ALL_TS =
      List.of(
          JPEG_LS_LOSSLESS,
          JPEG_2000_LOSSLESS,
          JPEG_LOSSLESS_SV1,
          RLE,
          JPEG_BASELINE,
          JPEG_EXTENDED,
          JPEG_LS_NEAR_LOSSLESS,
          JPEG_2000,
          EXPLICIT_LE,
          IMPLICIT_LE,
          DEFLATED,
          EXPLICIT_BE);

  private TestServers() {}

  static AcceptorConfig config(List<String> transferSyntaxes) {
    return new AcceptorConfig(
        AE,
        SOP_CLASSES,
        transferSyntaxes,
        Set.of(),
        65536,
        8,
        Duration.ofSeconds(2),
        Duration.ofSeconds(5));
  }

  static DicomServer start(AcceptorConfig config, StoreHandler handler) throws IOException {
    DicomServer server = new DicomServer(config, handler, null);
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }
}
