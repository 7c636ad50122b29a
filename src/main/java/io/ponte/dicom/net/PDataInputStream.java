package io.ponte.dicom.net;

import static io.ponte.dicom.net.DicomProtocolException.REASON_UNEXPECTED_PDU;
import static io.ponte.dicom.net.DicomProtocolException.REASON_UNEXPECTED_PDU_PARAMETER;

import java.io.IOException;
import java.io.InputStream;

/**
 * The data set of one DIMSE message as a stream spanning its PDVs, whatever P-DATA-TF PDUs carry
 * them: the handler reads straight from the socket, so an instance is never held whole in memory.
 * Anything other than a data PDV of the same presentation context before the last fragment is a
 * protocol error, remembered in {@link #failure()} so that the association aborts even if the
 * handler swallowed the exception.
 */
final class PDataInputStream extends InputStream {

  private final PduInput in;
  private final int pcId;
  private boolean started;
  private boolean lastSeen;
  private boolean eof;
  private IOException failure;
  private final byte[] one = new byte[1];

  PDataInputStream(PduInput in, int pcId) {
    this.in = in;
    this.pcId = pcId;
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (failure != null) {
      throw failure;
    }
    while (!eof) {
      if (started) {
        int n;
        try {
          n = in.read(b, off, len);
        } catch (IOException e) {
          failure = e;
          throw e;
        }
        if (n >= 0) {
          return n;
        }
      }
      if (lastSeen) {
        eof = true;
        break;
      }
      nextPdv();
    }
    return -1;
  }

  private void nextPdv() throws IOException {
    try {
      int type = in.next();
      if (type != Pdu.P_DATA_TF) {
        throw type == Pdu.A_ABORT
            ? new PeerAbortException()
            : new DicomProtocolException(
                REASON_UNEXPECTED_PDU,
                (type < 0 ? "connection closed" : Pdu.name(type))
                    + " before the last data set fragment");
      }
      if (in.isCommand() || in.pcId() != pcId) {
        throw new DicomProtocolException(
            REASON_UNEXPECTED_PDU_PARAMETER,
            "PDV (context "
                + in.pcId()
                + ", mch "
                + in.mch()
                + ") inside the data set of context "
                + pcId);
      }
      started = true;
      lastSeen = in.isLast();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Reads the rest of the data set, for a handler that stopped early, so the next message starts
   * clean.
   */
  void drain() throws IOException {
    byte[] skip = new byte[8192];
    while (read(skip, 0, skip.length) >= 0) {
      // discard
    }
  }

  IOException failure() {
    return failure;
  }

  @Override
  public void close() {
    // The association drains and owns the transport; a handler closing the stream must not end it.
  }
}
