package io.ponte.dicom.net;

import static io.ponte.dicom.net.DicomProtocolException.REASON_INVALID_PDU_PARAMETER_VALUE;
import static io.ponte.dicom.net.DicomProtocolException.REASON_UNEXPECTED_PDU_PARAMETER;
import static io.ponte.dicom.net.DicomProtocolException.REASON_UNRECOGNIZED_PDU_PARAMETER;

import io.ponte.text.Ascii;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the association PDUs (PS3.8 9.3.2-9.3.8). Decoding works on a body already
 * bounded by the reader; every item length is checked against what is left, so a lying length is a
 * protocol error, never an allocation or an exception escaping as something else.
 */
public final class PduCodec {

  private static final int ITEM_APPLICATION_CONTEXT = 0x10;
  private static final int ITEM_PC_RQ = 0x20;
  private static final int ITEM_PC_AC = 0x21;
  private static final int ITEM_ABSTRACT_SYNTAX = 0x30;
  private static final int ITEM_TRANSFER_SYNTAX = 0x40;
  private static final int ITEM_USER_INFORMATION = 0x50;
  private static final int SUB_MAX_LENGTH = 0x51;
  private static final int SUB_IMPLEMENTATION_CLASS_UID = 0x52;
  private static final int SUB_ROLE_SELECTION = 0x54;
  private static final int SUB_IMPLEMENTATION_VERSION_NAME = 0x55;

  private PduCodec() {}

  // ---------------------------------------------------------------- encoding

  public static byte[] encodeAssociateRq(AssociateRequest rq) {
    return encodeAssociate(Pdu.A_ASSOCIATE_RQ, rq, ITEM_PC_RQ);
  }

  /** {@code ac} carries the answered contexts: one transfer syntax each, and the result. */
  public static byte[] encodeAssociateAc(AssociateRequest ac) {
    return encodeAssociate(Pdu.A_ASSOCIATE_AC, ac, ITEM_PC_AC);
  }

  public static byte[] encodeAssociateRj(AssociateReject rj) {
    return fixed(Pdu.A_ASSOCIATE_RJ, 0, rj.result(), rj.source(), rj.reason());
  }

  public static byte[] encodeReleaseRq() {
    return fixed(Pdu.A_RELEASE_RQ, 0, 0, 0, 0);
  }

  public static byte[] encodeReleaseRp() {
    return fixed(Pdu.A_RELEASE_RP, 0, 0, 0, 0);
  }

  /** source 0 = service user, 2 = service provider (then {@code reason} is a provider reason). */
  public static byte[] encodeAbort(int source, int reason) {
    return fixed(Pdu.A_ABORT, 0, 0, source, reason);
  }

  private static byte[] fixed(int type, int b0, int b1, int b2, int b3) {
    return new byte[] {(byte) type, 0, 0, 0, 0, 4, (byte) b0, (byte) b1, (byte) b2, (byte) b3};
  }

  private static byte[] encodeAssociate(int type, AssociateRequest a, int pcItemType) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(512);
    putShort(body, a.protocolVersion());
    putShort(body, 0);
    putAeTitle(body, a.calledAeTitle());
    putAeTitle(body, a.callingAeTitle());
    body.write(new byte[32], 0, 32);
    putItem(body, ITEM_APPLICATION_CONTEXT, Ascii.bytes(a.applicationContext()));
    for (PresentationContext pc : a.presentationContexts()) {
      ByteArrayOutputStream item = new ByteArrayOutputStream();
      item.write(pc.id());
      item.write(0);
      item.write(pcItemType == ITEM_PC_AC ? pc.result() : 0);
      item.write(0);
      if (pcItemType == ITEM_PC_RQ) {
        putItem(item, ITEM_ABSTRACT_SYNTAX, Ascii.bytes(pc.abstractSyntax()));
      }
      for (String ts : pc.transferSyntaxes()) {
        putItem(item, ITEM_TRANSFER_SYNTAX, Ascii.bytes(ts));
      }
      putItem(body, pcItemType, item.toByteArray());
    }
    UserInformation ui = a.userInformation();
    ByteArrayOutputStream user = new ByteArrayOutputStream();
    putItem(
        user,
        SUB_MAX_LENGTH,
        new byte[] {
          (byte) (ui.maxPduLength() >>> 24), (byte) (ui.maxPduLength() >>> 16),
          (byte) (ui.maxPduLength() >>> 8), (byte) ui.maxPduLength()
        });
    if (ui.implementationClassUid() != null) {
      putItem(user, SUB_IMPLEMENTATION_CLASS_UID, Ascii.bytes(ui.implementationClassUid()));
    }
    for (RoleSelection r : ui.roleSelections()) {
      ByteArrayOutputStream role = new ByteArrayOutputStream();
      byte[] uid = Ascii.bytes(r.sopClassUid());
      putShort(role, uid.length);
      role.write(uid, 0, uid.length);
      role.write(r.scuRole() ? 1 : 0);
      role.write(r.scpRole() ? 1 : 0);
      putItem(user, SUB_ROLE_SELECTION, role.toByteArray());
    }
    if (ui.implementationVersionName() != null) {
      putItem(user, SUB_IMPLEMENTATION_VERSION_NAME, Ascii.bytes(ui.implementationVersionName()));
    }
    putItem(body, ITEM_USER_INFORMATION, user.toByteArray());

    byte[] b = body.toByteArray();
    ByteBuffer pdu = ByteBuffer.allocate(Pdu.HEADER_LENGTH + b.length);
    pdu.put((byte) type).put((byte) 0).putInt(b.length).put(b);
    return pdu.array();
  }

  private static void putItem(ByteArrayOutputStream out, int type, byte[] value) {
    out.write(type);
    out.write(0);
    putShort(out, value.length);
    out.write(value, 0, value.length);
  }

  private static void putShort(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  private static void putAeTitle(ByteArrayOutputStream out, String ae) {
    byte[] b = new byte[16];
    java.util.Arrays.fill(b, (byte) ' ');
    byte[] v = Ascii.bytes(ae);
    System.arraycopy(v, 0, b, 0, Math.min(16, v.length));
    out.write(b, 0, 16);
  }

  // ---------------------------------------------------------------- decoding

  /** Decodes the body (after the 6-byte header) of an A-ASSOCIATE-RQ or -AC. */
  public static AssociateRequest decodeAssociate(int type, byte[] body)
      throws DicomProtocolException {
    try {
      return decodeAssociate(type, ByteBuffer.wrap(body));
    } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE, Pdu.name(type) + " is truncated");
    }
  }

  private static AssociateRequest decodeAssociate(int type, ByteBuffer b)
      throws DicomProtocolException {
    boolean rq = type == Pdu.A_ASSOCIATE_RQ;
    int version = b.getShort() & 0xFFFF;
    b.getShort();
    String called = aeTitle(b);
    String calling = aeTitle(b);
    b.position(b.position() + 32);
    String applicationContext = null;
    List<PresentationContext> contexts = new ArrayList<>();
    UserInformation user = null;
    while (b.hasRemaining()) {
      int itemType = b.get() & 0xFF;
      b.get();
      ByteBuffer item = slice(b, b.getShort() & 0xFFFF, itemType);
      switch (itemType) {
        case ITEM_APPLICATION_CONTEXT:
          applicationContext = uid(item);
          break;
        case ITEM_PC_RQ:
        case ITEM_PC_AC:
          if ((itemType == ITEM_PC_RQ) != rq) {
            throw new DicomProtocolException(
                REASON_UNEXPECTED_PDU_PARAMETER,
                "presentation context item 0x"
                    + Integer.toHexString(itemType)
                    + " in "
                    + Pdu.name(type));
          }
          contexts.add(presentationContext(item, rq));
          break;
        case ITEM_USER_INFORMATION:
          user = userInformation(item);
          break;
        default:
          throw new DicomProtocolException(
              REASON_UNRECOGNIZED_PDU_PARAMETER,
              "unknown item 0x" + Integer.toHexString(itemType) + " in " + Pdu.name(type));
      }
    }
    if (applicationContext == null) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE, "no application context item");
    }
    if (user == null) {
      // PS3.7 D.3.3.1: the maximum length sub-item is mandatory; its absence is a malformed
      // request.
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE, "no user information item");
    }
    return new AssociateRequest(version, called, calling, applicationContext, contexts, user);
  }

  private static PresentationContext presentationContext(ByteBuffer item, boolean rq)
      throws DicomProtocolException {
    int id = item.get() & 0xFF;
    item.get();
    int result = item.get() & 0xFF;
    item.get();
    String abstractSyntax = null;
    List<String> ts = new ArrayList<>();
    while (item.hasRemaining()) {
      int subType = item.get() & 0xFF;
      item.get();
      ByteBuffer sub = slice(item, item.getShort() & 0xFFFF, subType);
      if (subType == ITEM_ABSTRACT_SYNTAX && rq && abstractSyntax == null) {
        abstractSyntax = uid(sub);
      } else if (subType == ITEM_TRANSFER_SYNTAX) {
        ts.add(uid(sub));
      } else {
        throw new DicomProtocolException(
            REASON_UNEXPECTED_PDU_PARAMETER,
            "unexpected sub-item 0x"
                + Integer.toHexString(subType)
                + " in presentation context "
                + id);
      }
    }
    if ((id & 1) == 0) {
      // PS3.8 9.3.2.2: presentation context ids are odd integers 1..255.
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE, "even presentation context id " + id);
    }
    if (rq && (abstractSyntax == null || ts.isEmpty())) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE,
          "presentation context " + id + " lacks an abstract or transfer syntax");
    }
    return new PresentationContext(
        id, abstractSyntax, ts, rq ? PresentationContext.ACCEPTANCE : result);
  }

  private static UserInformation userInformation(ByteBuffer item) throws DicomProtocolException {
    long maxLength = -1;
    String classUid = null;
    String versionName = null;
    List<RoleSelection> roles = new ArrayList<>();
    while (item.hasRemaining()) {
      int subType = item.get() & 0xFF;
      item.get();
      ByteBuffer sub = slice(item, item.getShort() & 0xFFFF, subType);
      switch (subType) {
        case SUB_MAX_LENGTH:
          if (sub.remaining() != 4) {
            throw new DicomProtocolException(
                REASON_INVALID_PDU_PARAMETER_VALUE, "maximum length sub-item is not 4 bytes");
          }
          maxLength = sub.getInt() & 0xFFFFFFFFL;
          break;
        case SUB_IMPLEMENTATION_CLASS_UID:
          classUid = uid(sub);
          break;
        case SUB_IMPLEMENTATION_VERSION_NAME:
          versionName = text(sub).trim();
          break;
        case SUB_ROLE_SELECTION:
          ByteBuffer uid = slice(sub, sub.getShort() & 0xFFFF, subType);
          int scu = sub.get() & 0xFF;
          int scp = sub.get() & 0xFF;
          roles.add(new RoleSelection(uid(uid), scu == 1, scp == 1));
          break;
        default:
          // Asynchronous window, extended negotiation, user identity: not negotiated.
          break;
      }
    }
    if (maxLength < 0) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE, "no maximum length sub-item");
    }
    return new UserInformation(maxLength, classUid, versionName, roles);
  }

  private static ByteBuffer slice(ByteBuffer b, int length, int itemType)
      throws DicomProtocolException {
    if (length > b.remaining()) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE,
          "item 0x"
              + Integer.toHexString(itemType)
              + " claims "
              + length
              + " bytes, "
              + b.remaining()
              + " left");
    }
    ByteBuffer s = b.slice();
    s.limit(length);
    b.position(b.position() + length);
    return s;
  }

  private static String aeTitle(ByteBuffer b) {
    byte[] v = new byte[16];
    b.get(v);
    return Ascii.string(v).trim();
  }

  /**
   * UIDs may carry a trailing NUL pad (PS3.8 9.3.2.2.1 allows neither, but older peers send it).
   */
  private static String uid(ByteBuffer b) throws DicomProtocolException {
    String s = text(b);
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) {
      end--;
    }
    s = s.substring(0, end);
    if (s.isEmpty() || s.length() > 64) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE, "UID of length " + s.length());
    }
    return s;
  }

  private static String text(ByteBuffer b) {
    byte[] v = new byte[b.remaining()];
    b.get(v);
    return Ascii.string(v);
  }

  /** Decodes the 4-byte body of an A-ASSOCIATE-RJ. */
  public static AssociateReject decodeAssociateRj(byte[] body) throws DicomProtocolException {
    if (body.length != 4) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE, "A-ASSOCIATE-RJ of length " + body.length);
    }
    return new AssociateReject(body[1] & 0xFF, body[2] & 0xFF, body[3] & 0xFF);
  }
}
