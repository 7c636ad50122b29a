package io.ponte.dicom.net;

import static io.ponte.dicom.net.DicomProtocolException.REASON_INVALID_PDU_PARAMETER_VALUE;
import static io.ponte.dicom.net.DicomProtocolException.REASON_UNRECOGNIZED_PDU;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads PDUs from the transport, presenting P-DATA-TF as a sequence of PDVs whose data is read in
 * place: nothing is ever allocated by a length the peer sent, except the body of an association
 * PDU, which is bounded by {@code maxAssociatePduLength} before it is read.
 */
final class PduInput {

  private final InputStream in;
  private final long maxPDataLength;
  private final int maxAssociatePduLength;
  private final byte[] header = new byte[Pdu.HEADER_LENGTH];

  private long pduRemaining;
  private int pdvRemaining;
  private int pcId;
  private int mch;
  private int type = -1;
  private byte[] body;

  /**
   * @param maxPDataLength the maximum P-DATA-TF PDU length we announced; a longer PDU is refused
   * @param maxAssociatePduLength bound for A-ASSOCIATE-RQ/AC bodies (many presentation contexts fit
   *     in 64 KiB)
   */
  PduInput(InputStream in, long maxPDataLength, int maxAssociatePduLength) {
    this.in = in;
    this.maxPDataLength = maxPDataLength;
    this.maxAssociatePduLength = maxAssociatePduLength;
  }

  /**
   * Moves to the next PDV (returns {@link Pdu#P_DATA_TF}; see {@link #pcId()}, {@link #mch()},
   * {@link #read}) or the next other PDU (returns its type; see {@link #body()}). Unread data of
   * the current PDV is skipped. Returns -1 when the peer closed the connection between PDUs.
   */
  int next() throws IOException {
    skipPdv();
    if (pduRemaining == 0) {
      if (!readHeader()) {
        return -1;
      }
      long length =
          ((header[2] & 0xFFL) << 24)
              | ((header[3] & 0xFF) << 16)
              | ((header[4] & 0xFF) << 8)
              | (header[5] & 0xFF);
      type = header[0] & 0xFF;
      switch (type) {
        case Pdu.P_DATA_TF:
          if (length > maxPDataLength || length < Pdu.PDV_HEADER_LENGTH) {
            throw new DicomProtocolException(
                REASON_INVALID_PDU_PARAMETER_VALUE,
                "P-DATA-TF of length " + length + " (maximum " + maxPDataLength + ")");
          }
          pduRemaining = length;
          break;
        case Pdu.A_ASSOCIATE_RQ:
        case Pdu.A_ASSOCIATE_AC:
          body = readBody(length, maxAssociatePduLength);
          return type;
        case Pdu.A_ASSOCIATE_RJ:
        case Pdu.A_RELEASE_RQ:
        case Pdu.A_RELEASE_RP:
        case Pdu.A_ABORT:
          body = readBody(length, 4);
          return type;
        default:
          throw new DicomProtocolException(
              REASON_UNRECOGNIZED_PDU, "unrecognized PDU type 0x" + Integer.toHexString(type));
      }
    }
    readPdvHeader();
    return Pdu.P_DATA_TF;
  }

  private boolean readHeader() throws IOException {
    int first = in.read();
    if (first < 0) {
      return false;
    }
    header[0] = (byte) first;
    readFully(header, 1, Pdu.HEADER_LENGTH - 1);
    return true;
  }

  private byte[] readBody(long length, int max) throws IOException {
    if (length > max) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE,
          Pdu.name(type) + " of length " + length + " (maximum " + max + ")");
    }
    byte[] b = new byte[(int) length];
    readFully(b, 0, b.length);
    return b;
  }

  private void readPdvHeader() throws IOException {
    if (pduRemaining < Pdu.PDV_HEADER_LENGTH) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE,
          pduRemaining + " bytes left in P-DATA-TF, no room for a PDV");
    }
    byte[] h = new byte[Pdu.PDV_HEADER_LENGTH];
    readFully(h, 0, h.length);
    long itemLength =
        ((h[0] & 0xFFL) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
    if (itemLength < 2 || itemLength > pduRemaining - 4) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE,
          "PDV item length "
              + itemLength
              + " in a P-DATA-TF with "
              + (pduRemaining - 4)
              + " bytes left");
    }
    pcId = h[4] & 0xFF;
    mch = h[5] & 0xFF;
    if ((mch & 0xFC) != 0) {
      throw new DicomProtocolException(
          REASON_INVALID_PDU_PARAMETER_VALUE,
          "message control header 0x" + Integer.toHexString(mch));
    }
    pduRemaining -= 4 + itemLength;
    pdvRemaining = (int) (itemLength - 2);
  }

  private void skipPdv() throws IOException {
    while (pdvRemaining > 0) {
      long n = in.skip(pdvRemaining);
      if (n <= 0) {
        if (in.read() < 0) {
          throw new EOFException("connection closed inside a PDV");
        }
        n = 1;
      }
      pdvRemaining -= (int) n;
    }
  }

  /** Whether a PDU (or the next PDV of the current one) can be read without waiting for it. */
  boolean hasPendingInput() throws IOException {
    return pdvRemaining == 0 && (pduRemaining > 0 || in.available() > 0);
  }

  int pcId() {
    return pcId;
  }

  int mch() {
    return mch;
  }

  boolean isCommand() {
    return (mch & Pdu.MCH_COMMAND) != 0;
  }

  boolean isLast() {
    return (mch & Pdu.MCH_LAST) != 0;
  }

  byte[] body() {
    return body;
  }

  int pdvRemaining() {
    return pdvRemaining;
  }

  /** Reads data of the current PDV; -1 at its end. */
  int read(byte[] b, int off, int len) throws IOException {
    if (pdvRemaining == 0) {
      return -1;
    }
    int n = in.read(b, off, Math.min(len, pdvRemaining));
    if (n < 0) {
      throw new EOFException("connection closed inside a PDV");
    }
    pdvRemaining -= n;
    return n;
  }

  /**
   * Reads the command set starting at the current PDV, across fragments and PDUs, up to {@code max}
   * bytes. Commands are tiny and parsed whole, so buffering them is safe once bounded.
   */
  byte[] readCommandSet(int max) throws IOException {
    int pc = pcId;
    java.io.ByteArrayOutputStream command = new java.io.ByteArrayOutputStream(256);
    byte[] buf = new byte[1024];
    while (true) {
      if (!isCommand() || pcId != pc) {
        throw new DicomProtocolException(
            DicomProtocolException.REASON_UNEXPECTED_PDU_PARAMETER,
            "data PDV or other context where a command fragment was expected");
      }
      if (command.size() + pdvRemaining > max) {
        throw new DicomProtocolException(
            REASON_INVALID_PDU_PARAMETER_VALUE, "command set over " + max + " bytes");
      }
      int n;
      while ((n = read(buf, 0, buf.length)) > 0) {
        command.write(buf, 0, n);
      }
      if (isLast()) {
        return command.toByteArray();
      }
      int t = next();
      if (t == Pdu.A_ABORT) {
        throw new PeerAbortException();
      }
      if (t != Pdu.P_DATA_TF) {
        throw new DicomProtocolException(
            DicomProtocolException.REASON_UNEXPECTED_PDU,
            (t < 0 ? "connection closed" : Pdu.name(t)) + " inside a command");
      }
    }
  }

  private void readFully(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = in.read(b, off, len);
      if (n < 0) {
        throw new EOFException("connection closed inside a PDU");
      }
      off += n;
      len -= n;
    }
  }
}
