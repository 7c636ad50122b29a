package io.ponte.dicom.net;

/** PDU type codes (PS3.8 9.3.1) and the few fixed sizes the upper layer is built on. */
public final class Pdu {

  public static final int A_ASSOCIATE_RQ = 0x01;
  public static final int A_ASSOCIATE_AC = 0x02;
  public static final int A_ASSOCIATE_RJ = 0x03;
  public static final int P_DATA_TF = 0x04;
  public static final int A_RELEASE_RQ = 0x05;
  public static final int A_RELEASE_RP = 0x06;
  public static final int A_ABORT = 0x07;

  /** Type, reserved byte and 4-byte length. */
  public static final int HEADER_LENGTH = 6;

  /** PDV item length (4), presentation context id (1), message control header (1). */
  public static final int PDV_HEADER_LENGTH = 6;

  /** Message control header bits (PS3.8 E.2). */
  public static final int MCH_COMMAND = 0x01;

  public static final int MCH_LAST = 0x02;

  private Pdu() {}

  public static String name(int type) {
    switch (type) {
      case A_ASSOCIATE_RQ:
        return "A-ASSOCIATE-RQ";
      case A_ASSOCIATE_AC:
        return "A-ASSOCIATE-AC";
      case A_ASSOCIATE_RJ:
        return "A-ASSOCIATE-RJ";
      case P_DATA_TF:
        return "P-DATA-TF";
      case A_RELEASE_RQ:
        return "A-RELEASE-RQ";
      case A_RELEASE_RP:
        return "A-RELEASE-RP";
      case A_ABORT:
        return "A-ABORT";
      default:
        return "PDU type 0x" + Integer.toHexString(type);
    }
  }
}
